package io.causeway.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * Unique prefixes for lab resources: {@code cw<pid>n<counter>-}. The pid keeps parallel JVMs
  * apart, the counter keeps topologies of one JVM apart, and the trailing '-' makes sure no prefix
  * is the beginning of another one (cw12n1- vs cw12n10-), so deleting by prefix is exact.
  */
public final class RunPrefix {
    public static final String FAMILY = "cw";
    private static final Pattern SHAPE = Pattern.compile("^" + FAMILY + "(\\d+)n\\d+-");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Path TMP = Path.of("/tmp");

    private RunPrefix() {}

    public static String next() {
        return FAMILY + ProcessHandle.current().pid() + "n" + COUNTER.incrementAndGet() + "-";
    }

    /** Working directory for lab files of this prefix, e.g. /tmp/cw123n1-swan-west. */
    public static Path workDir(String prefix, String purpose) {
        return TMP.resolve(prefix + purpose);
    }

    /**
      * Removes namespaces and /tmp work dirs left by lab runs whose JVM no longer exists (a killed
      * test run cannot clean up after itself). Resources of live runs are never touched.
      */
    public static List<String> cleanupDeadRuns() {
        List<String> removed = new ArrayList<>();
        for (String ns : Netns.list()) {
            if (ownerIsDead(ns)) {
                Netns.existing(ns).delete();
                removed.add(ns);
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(TMP, FAMILY + "*")) {
            for (Path entry : entries) {
                if (ownerIsDead(entry.getFileName().toString())) {
                    Files2.deleteRecursively(entry);
                    removed.add(entry.toString());
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot list " + TMP, e);
        }
        return removed;
    }

    /**
      * Removes namespaces and /tmp work dirs of every prefix this JVM handed out; for a shutdown
      * hook, when try-with-resources did not get to run (Ctrl-C).
      */
    public static void cleanupThisRun() {
        String own = FAMILY + ProcessHandle.current().pid() + "n";
        Netns.deleteAll(own);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(TMP, own + "*")) {
            for (Path entry : entries) {
                Files2.deleteRecursively(entry);
            }
        } catch (IOException e) {
            throw new LabException("cannot list " + TMP, e);
        }
    }

    private static boolean ownerIsDead(String name) {
        Matcher matcher = SHAPE.matcher(name);
        return matcher.find() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty();
    }
}
