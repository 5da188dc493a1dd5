package io.causeway.lab;

import java.nio.file.Path;
import java.util.List;

/**
  * What the lab benchmarks ({@link ThroughputBench}, {@link UpToPingBench}) share around their
  * measurements: the host checks and log dir before a run, the exit after it, and the median and
  * log tails their reports are made of.
  */
final class BenchRun {
    static final String SKIPPED = "skipped";
    private static final int TAIL_LINES = 25;

    private BenchRun() {}

    /**
      * Exits with 2 unless this runs as root with every tool installed; returns a fresh log dir
      * named after workName. A shutdown hook removes the namespaces this JVM made on Ctrl-C (its
      * own prefixes only, nothing else).
      */
    static Path prepare(String bench, String workName, List<String> tools) {
        if (!LabHost.isRoot()) {
            System.err.println(bench + " needs root (network namespaces, veth, TUN)");
            System.exit(2);
        }
        List<String> missing = LabHost.missing(tools.toArray(String[]::new));
        if (!missing.isEmpty()) {
            System.err.println("missing tools: " + missing);
            System.exit(2);
        }
        Path logDir = Files2.freshDir(RunPrefix.workDir(RunPrefix.next(), workName));
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> Netns.deleteAll(RunPrefix.FAMILY + ProcessHandle.current().pid() + "n"), "lab-cleanup"));
        return logDir;
    }

    /** Prints the table and exits 1 if a part failed; the logs stay (and are named) if asked for or needed. */
    static void finish(String table, boolean failed, boolean keepLogs, Path logDir) {
        System.out.println(table);
        if (keepLogs || failed) {
            System.out.println("logs: " + logDir);
        } else {
            Files2.deleteRecursively(logDir);
        }
        System.exit(failed ? 1 : 0);
    }

    /** The "NAME failed:" paragraph under a table, for a part that failed rather than was skipped. */
    static void appendFailure(StringBuilder out, boolean succeeded, String name, String failure) {
        if (!succeeded && !SKIPPED.equals(failure)) {
            out.append(String.format("%n%s failed:%n%s%n", name.replaceAll(" +", " "), failure));
        }
    }

    /** Added to a log's heading when its process is gone, which is often the whole story. */
    static String exited(CausewayProcess process) {
        return process.alive() ? "" : ", process exited";
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** VmRSS of a live process in KiB, from /proc/PID/status; 0 when it is gone or has none. */
    static long rssKib(long pid) {
        for (String line : Files2.readOrEmpty(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /**
      * A log's last lines under a "--- heading ---" line, for a failure message: enough to see why a
      * part failed without drowning the table.
      */
    static String tail(String heading, String log) {
        List<String> lines = log.lines().toList();
        return "\n--- " + heading + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }
}
