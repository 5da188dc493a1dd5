package io.causeway.conf.parse;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Resolves the argument of an {@code include} line: relative to the including file's directory,
 * shell wildcards allowed, matches in sorted order as glob(3) returns them.
 */
public final class IncludeFiles {
    private IncludeFiles() {
    }

    public static boolean isPattern(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /**
     * The files matching the pattern; a pattern without wildcards yields its one path, existing or not. A pattern
     * that is no path (a NUL octet) or no glob (an unclosed '[') is an IOException, which callers report as a
     * diagnostic of the include line.
     */
    public static List<Path> resolve(Path includingFile, String pattern) throws IOException {
        try {
            return matches(includingFile, pattern);
        } catch (InvalidPathException | PatternSyntaxException e) {
            throw new IOException("not a file pattern: " + e.getMessage(), e);
        }
    }

    private static List<Path> matches(Path includingFile, String pattern) throws IOException {
        Path base = includingFile.toAbsolutePath().getParent();
        Path target = base.resolve(pattern).normalize();
        if (!isPattern(pattern)) {
            return List.of(target);
        }
        // walk from the deepest directory that has no wildcard in it
        Path root = target.getRoot();
        int firstWild = 0;
        while (firstWild < target.getNameCount() && !isPattern(target.getName(firstWild).toString())) {
            root = root.resolve(target.getName(firstWild));
            firstWild++;
        }
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        int depth = target.getNameCount() - firstWild;
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + escapeForJavaGlob(target.toString()));
        List<Path> matches = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, depth)) {
            walk.filter(p -> p.getNameCount() == target.getNameCount() && Files.isRegularFile(p) && matcher.matches(p))
                    .sorted()
                    .forEach(matches::add);
        }
        return matches;
    }

    /** Java globs give '{' and '}' a meaning sh does not; quote them. */
    private static String escapeForJavaGlob(String glob) {
        return glob.replace("{", "\\{").replace("}", "\\}");
    }
}
