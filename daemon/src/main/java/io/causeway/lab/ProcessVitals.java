package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
  * What /proc says about a process at one moment: threads, open file descriptors and resident memory, the figures
  * that must stay flat over a gateway's months (a soak prints them at its start and end).
  */
public record ProcessVitals(int threads, int fds, long rssKib) {
    public static ProcessVitals of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        int threads = 0;
        long rss = 0;
        for (String line : Files2.readOrEmpty(proc.resolve("status")).split("\n")) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring("Threads:".length()).strip());
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
            }
        }
        if (threads == 0) {
            throw new LabException("process " + pid + " is gone (no /proc/" + pid + "/status)");
        }
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return new ProcessVitals(threads, (int) fds.count(), rss);
        } catch (IOException e) {
            throw new LabException("cannot list /proc/" + pid + "/fd", e);
        }
    }

    @Override
    public String toString() {
        return threads + " threads, " + fds + " fds, RSS " + rssKib / 1024 + " MiB";
    }
}
