package io.causeway.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * A running JVM's heap and metaspace as {@code jcmd PID GC.heap_info} prints them, in KiB: the sum
  * over the collector's generations (G1 has one line, Serial and Parallel two), so the figure means
  * the same for every collector.
  */
public record JvmHeap(long usedKib, long committedKib, long metaspaceUsedKib, long metaspaceCommittedKib) {
    private static final Pattern GENERATION = Pattern.compile("(?m)^ \\S.*?\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("(?m)^ Metaspace\\s+used (\\d+)K, committed (\\d+)K");
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

    public static JvmHeap parse(String heapInfo) {
        long used = 0;
        long committed = 0;
        boolean any = false;
        Matcher generation = GENERATION.matcher(heapInfo);
        while (generation.find()) {
            committed += Long.parseLong(generation.group(1));
            used += Long.parseLong(generation.group(2));
            any = true;
        }
        Matcher metaspace = METASPACE.matcher(heapInfo);
        if (!any || !metaspace.find()) {
            throw new LabException("not GC.heap_info output:\n" + heapInfo);
        }
        return new JvmHeap(used, committed, Long.parseLong(metaspace.group(1)), Long.parseLong(metaspace.group(2)));
    }

    /** {@code jcmd PID GC.run} (a full collection), then the heap it left. */
    public static JvmHeap afterFullGc(long pid) {
        String jcmd = jcmd();
        Commands.run(JCMD_TIMEOUT, jcmd, Long.toString(pid), "GC.run").orThrow();
        return parse(Commands.run(JCMD_TIMEOUT, jcmd, Long.toString(pid), "GC.heap_info").orThrow().stdout());
    }

    /** The jcmd next to the java Causeway runs with, so it speaks that JVM's attach protocol. */
    private static String jcmd() {
        Path beside = CausewayLauncher.locateJava().resolveSibling("jcmd");
        return Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }
}
