package io.causeway.lab;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
  * The highest VmRSS of some processes while a measurement runs, read from /proc every 100 ms on
  * a thread of its own: a figure under load, where one reading after the run would see a process
  * that had already given memory back.
  */
public final class RssSampler implements AutoCloseable {
    private static final Duration PERIOD = Duration.ofMillis(100);

    private final long[] pids;
    private final long[] peakKib;
    private final Thread thread;
    private volatile boolean running = true;

    private RssSampler(List<Long> pids) {
        this.pids = pids.stream().mapToLong(Long::longValue).toArray();
        this.peakKib = new long[this.pids.length];
        this.thread = new Thread(this::sample, "rss-sampler");
        thread.setDaemon(true);
    }

    public static RssSampler start(List<Long> pids) {
        RssSampler sampler = new RssSampler(pids);
        sampler.readOnce();
        sampler.thread.start();
        return sampler;
    }

    private void sample() {
        while (running) {
            readOnce();
            try {
                Thread.sleep(PERIOD.toMillis()); // the sampling period, not a wait for some state
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void readOnce() {
        for (int i = 0; i < pids.length; i++) {
            peakKib[i] = Math.max(peakKib[i], BenchRun.rssKib(pids[i]));
        }
    }

    /** Stops sampling (after one last reading) and returns each process's peak in KiB, in the order given. */
    public List<Long> stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(PERIOD.multipliedBy(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readOnce();
        synchronized (this) {
            return Arrays.stream(peakKib).boxed().toList();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
