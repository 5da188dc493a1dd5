package io.causeway.conf.parse;

import io.causeway.conf.Diagnostics;
import io.causeway.conf.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads ipsec.conf with its {@code include} lines replaced by the included files' lines, as strongSwan
 * does textually. A literal include that does not exist is an error; a wildcard matching nothing is not.
 */
public final class LineSource {
    private static final int MAX_DEPTH = 10;

    private final Diagnostics diagnostics;
    private final Deque<Path> stack = new ArrayDeque<>();
    private final List<SourceLine> lines = new ArrayList<>();

    private LineSource(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Empty when the top file cannot be read (an error is recorded). */
    public static List<SourceLine> read(Path file, Diagnostics diagnostics) {
        LineSource source = new LineSource(diagnostics);
        source.readFile(file, null);
        return source.lines;
    }

    private void readFile(Path file, SourceLocation includedAt) {
        Path normal = file.toAbsolutePath().normalize();
        if (stack.contains(normal)) {
            diagnostics.error(includedAt.file(), includedAt.line(), "include", "include cycle: " + file + " includes itself");
            return;
        }
        if (stack.size() >= MAX_DEPTH) {
            diagnostics.error(includedAt.file(), includedAt.line(), "include", "includes nested deeper than " + MAX_DEPTH);
            return;
        }
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (includedAt == null) {
                diagnostics.error(file, 0, null, "cannot read file (" + e.getClass().getSimpleName() + ")");
            } else {
                diagnostics.error(includedAt.file(), includedAt.line(), "include", "cannot read " + file
                        + " (" + e.getClass().getSimpleName() + ")");
            }
            return;
        }
        stack.push(normal);
        for (int i = 0; i < text.size(); i++) {
            SourceLocation here = new SourceLocation(file, i + 1);
            String line = text.get(i);
            String stripped = QuotedText.stripComment(line).trim();
            if (stripped.startsWith("include ") || stripped.startsWith("include\t")) {
                include(here, QuotedText.unquote(stripped.substring("include".length()).trim()));
            } else {
                lines.add(new SourceLine(here, line));
            }
        }
        stack.pop();
    }

    private void include(SourceLocation at, String pattern) {
        if (pattern.isEmpty() || pattern.contains(" ")) {
            diagnostics.error(at.file(), at.line(), "include", "expected exactly one file name or wildcard pattern");
            return;
        }
        try {
            for (Path file : IncludeFiles.resolve(at.file(), pattern)) {
                readFile(file, at);
            }
        } catch (IOException e) {
            diagnostics.error(at.file(), at.line(), "include", "cannot list " + pattern + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
