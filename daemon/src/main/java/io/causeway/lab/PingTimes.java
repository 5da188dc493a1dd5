package io.causeway.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * The round-trip times of the replies ping printed, one per line, and how many requests it sent:
  * what a latency median and p99 are made of (ping's own summary has only min, avg, max, mdev).
  * A lost request has no time; it counts in {@link #lossPercent()} only.
  */
public record PingTimes(int transmitted, List<Double> millis) {
    private static final Pattern REPLY = Pattern.compile(
            "(?m)^\\d+ bytes from \\S+ icmp_seq=(\\d+) ttl=\\d+ time=([\\d.]+) ms");
    private static final Pattern TRANSMITTED = Pattern.compile("(?m)^(\\d+) packets transmitted");

    public PingTimes {
        millis = List.copyOf(millis);
    }

    /**
      * The replies to requests from sequence number fromSeq on (1 is the first); the requests
      * before it are left out of transmitted too, so a warm-up does not count as loss.
      */
    public static PingTimes parse(String output, int fromSeq) {
        Matcher sent = TRANSMITTED.matcher(output);
        if (!sent.find()) {
            throw new LabException("no ping summary in:\n" + output);
        }
        List<Double> times = new ArrayList<>();
        Matcher reply = REPLY.matcher(output);
        while (reply.find()) {
            if (Integer.parseInt(reply.group(1)) >= fromSeq) {
                times.add(Double.parseDouble(reply.group(2)));
            }
        }
        return new PingTimes(Math.max(0, Integer.parseInt(sent.group(1)) - (fromSeq - 1)), times);
    }

    /** Several runs' samples as one. */
    public static PingTimes pooled(List<PingTimes> runs) {
        List<Double> all = new ArrayList<>();
        int sent = 0;
        for (PingTimes run : runs) {
            all.addAll(run.millis());
            sent += run.transmitted();
        }
        return new PingTimes(sent, all);
    }

    public double median() {
        return BenchRun.median(millis);
    }

    /** The nearest-rank percentile (the smallest time at least p% of the replies do not exceed); NaN without replies. */
    public double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = millis.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    public double p99() {
        return percentile(99);
    }

    public double lossPercent() {
        return transmitted == 0 ? Double.NaN : 100.0 * Math.max(0, transmitted - millis.size()) / transmitted;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d replies of %d, median %.3f ms, p99 %.3f ms", millis.size(),
                transmitted, median(), p99());
    }
}
