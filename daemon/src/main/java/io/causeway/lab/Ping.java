package io.causeway.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** iputils ping run inside a namespace, from a chosen source address. */
public final class Ping {
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) packets transmitted, (\\d+) (?:packets )?received,.*?([\\d.]+)% packet loss");
    private static final Pattern RTT = Pattern.compile(
            "(?:rtt|round-trip) min/avg/max/(?:mdev|stddev) = ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");

    /** Counts from ping's summary; rttAvgMillis is NaN when nothing came back. */
    public record Result(int transmitted, int received, double lossPercent, double rttAvgMillis, String output) {
        public boolean allReceived() {
            return transmitted > 0 && received == transmitted;
        }

        public boolean anyReceived() {
            return received > 0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d/%d received, %.0f%% loss, rtt avg %.3f ms",
                    received, transmitted, lossPercent, rttAvgMillis);
        }
    }

    private Ping() {}

    /**
      * Runs {@code ping -c count -i interval -w deadline}. Note ping's semantics with -w: it stops
      * once count replies arrived or the deadline passed, so when replies are lost it transmits more
      * than count requests; the loss percentage stays meaningful.
      *
      * @param interval time between echo requests (below 200 ms needs root, which the lab has)
      * @param deadline ping's own -w deadline, rounded up to whole seconds
      */
    public static Result run(Netns ns, String source, String destination, int count, Duration interval,
            Duration deadline) {
        List<String> command = new ArrayList<>(List.of("ping", "-n", "-q"));
        command.add(destination.contains(":") ? "-6" : "-4");
        command.addAll(List.of("-I", source, "-c", Integer.toString(count),
                "-i", String.format(Locale.ROOT, "%.3f", interval.toMillis() / 1000.0),
                "-w", Long.toString(Math.max(1, (deadline.toMillis() + 999) / 1000)),
                destination));
        // ping exits 1 when replies are missing: that is a result, not an error
        ExecResult result = ns.exec(deadline.plusSeconds(5), command, null);
        if (result.timedOut() || (result.exitCode() != 0 && result.exitCode() != 1)) {
            throw new LabException(result.describe());
        }
        return parse(result.stdout());
    }

    /**
      * {@code ping -n -c count -i interval -W 1}, without -q: the time of every reply, for a
      * median and a p99 (an idle tunnel's latency).
      */
    public static PingTimes times(Netns ns, String source, String destination, int count, Duration interval) {
        Duration deadline = interval.multipliedBy(count).plusSeconds(2);
        List<String> command = List.of("ping", "-n", destination.contains(":") ? "-6" : "-4", "-I", source,
                "-c", Integer.toString(count), "-i", String.format(Locale.ROOT, "%.3f", interval.toMillis() / 1000.0),
                "-W", "1", "-w", Long.toString((deadline.toMillis() + 999) / 1000), destination);
        ExecResult result = ns.exec(deadline.plusSeconds(5), command, null);
        if (result.timedOut() || (result.exitCode() != 0 && result.exitCode() != 1)) {
            throw new LabException(result.describe());
        }
        return PingTimes.parse(result.stdout(), 1);
    }

    /** Quick reachability probe: count pings 200 ms apart, up to count seconds + 1. */
    public static Result run(Netns ns, String source, String destination, int count) {
        return run(ns, source, destination, count, Duration.ofMillis(200), Duration.ofSeconds(count + 1L));
    }

    /** Keeps pinging (one probe per round) until a reply comes back or the deadline passes. */
    public static boolean awaitReply(Netns ns, String source, String destination, Duration deadline) {
        return Poll.until(deadline, Duration.ofMillis(100),
                () -> run(ns, source, destination, 1, Duration.ofMillis(200), Duration.ofSeconds(1)).anyReceived());
    }

    public static Result parse(String output) {
        Matcher summary = SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new LabException("no ping summary in:\n" + output);
        }
        Matcher rtt = RTT.matcher(output);
        double avg = rtt.find() ? Double.parseDouble(rtt.group(2)) : Double.NaN;
        return new Result(Integer.parseInt(summary.group(1)), Integer.parseInt(summary.group(2)),
                Double.parseDouble(summary.group(3)), avg, output);
    }
}
