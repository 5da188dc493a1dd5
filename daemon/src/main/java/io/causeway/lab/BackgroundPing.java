package io.causeway.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
  * ping running beside something else (the latency under load while iperf3 fills the tunnel):
  * started, left alone, then its per-reply times read once it has sent its count.
  */
public final class BackgroundPing implements AutoCloseable {
    /** How long ping waits for the last reply (-W), and beyond that for itself to exit. */
    private static final Duration LAST_REPLY = Duration.ofSeconds(1);

    private final Process process;
    private final Path log;
    private final Duration runtime;

    private BackgroundPing(Process process, Path log, Duration runtime) {
        this.process = process;
        this.log = log;
        this.runtime = runtime;
    }

    /** {@code ping -n -c count -i interval -W 1 -I source destination} in ns, its output into log. */
    public static BackgroundPing start(Netns ns, String source, String destination, int count, Duration interval,
            Path log) {
        Files2.write(log, "");
        Process process = ns.spawn(log, List.of("ping", "-n", destination.contains(":") ? "-6" : "-4",
                "-I", source, "-c", Integer.toString(count),
                "-i", String.format(Locale.ROOT, "%.3f", interval.toMillis() / 1000.0),
                "-W", Long.toString(LAST_REPLY.toSeconds()), destination), Map.of());
        return new BackgroundPing(process, log, interval.multipliedBy(count));
    }

    /** Waits for ping to finish its count and returns the replies from fromSeq on. */
    public PingTimes await(int fromSeq) {
        try {
            // ping's own pacing sets when it is done; the deadline is only against a hung ping
            if (!process.waitFor(runtime.plus(LAST_REPLY).toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                throw new LabException("ping did not finish its count:\n" + Files2.readOrEmpty(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted waiting for ping", e);
        }
        return PingTimes.parse(Files2.readOrEmpty(log), fromSeq);
    }

    @Override
    public void close() {
        Commands.terminate(process.toHandle(), Duration.ofSeconds(2));
    }
}
