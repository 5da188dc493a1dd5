package io.causeway.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
  * Captures ESP on a namespace's interface with tcpdump, then lets tshark dissect the pcap. Used to
  * show that an independent dissector reads Causeway's ESP (raw or UDP-encapsulated) without
  * errors.
  */
public final class Tshark {
    /** ESP in UDP on 4500 (RFC 3948; IKE on 4500 too, marked by a zero non-ESP marker) and raw ESP. */
    public static final String ESP_FILTER = "udp port 4500 or ip proto 50 or ip6 proto 50";
    private static final Duration START_DEADLINE = Duration.ofSeconds(10);

    private Tshark() {}

    /** What tshark made of a pcap. */
    public record Report(int frames, int espPackets, int framesWithErrors, List<String> errorLines,
            String dissection) {
        /** True when some frame carried a Malformed marker or an error-level expert item. */
        public boolean hasErrors() {
            return !errorLines.isEmpty();
        }

        @Override
        public String toString() {
            return frames + " frames, " + espPackets + " ESP, " + framesWithErrors + " with errors"
                    + (errorLines.isEmpty() ? "" : ": " + errorLines.subList(0, Math.min(5, errorLines.size())));
        }
    }

    /** A running tcpdump; it stops by itself after maxPackets. */
    public static final class Capture implements AutoCloseable {
        private final Process tcpdump;
        private final Path pcap;
        private final Path log;

        private Capture(Process tcpdump, Path pcap, Path log) {
            this.tcpdump = tcpdump;
            this.pcap = pcap;
            this.log = log;
        }

        public Path pcap() {
            return pcap;
        }

        /**
          * Waits until tcpdump has its packets or the deadline passes, then stops it (SIGTERM makes
          * tcpdump finish the file). Returns the pcap path.
          */
        public Path finish(Duration deadline) {
            Poll.until(deadline, () -> !tcpdump.isAlive());
            close();
            return pcap;
        }

        public String log() {
            return Files2.readOrEmpty(log);
        }

        @Override
        public void close() {
            Commands.terminate(tcpdump.toHandle(), Duration.ofSeconds(5));
        }
    }

    /** Starts tcpdump with {@link #ESP_FILTER}; returns once it is listening. */
    public static Capture capture(Netns ns, String iface, Path pcap, int maxPackets) {
        return capture(ns, iface, pcap, maxPackets, ESP_FILTER);
    }

    public static Capture capture(Netns ns, String iface, Path pcap, int maxPackets, String filter) {
        Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
        // -U writes each packet at once and --immediate-mode takes it from the kernel at once, so a capture
        // stopped early still holds everything seen
        Process tcpdump = ns.spawn(log, "tcpdump", "-n", "-U", "--immediate-mode", "-i", iface,
                "-c", Integer.toString(maxPackets), "-w", pcap.toString(), filter);
        Capture capture = new Capture(tcpdump, pcap, log);
        // tcpdump says "listening on IFACE" (stderr is unbuffered) once the socket is attached
        Poll.until(START_DEADLINE, () -> !tcpdump.isAlive() || capture.log().contains("listening on"));
        if (!capture.log().contains("listening on")) {
            capture.close();
            throw new LabException("tcpdump on " + ns.name() + "/" + iface + " did not start:\n" + capture.log());
        }
        return capture;
    }

    /** Runs {@code tshark -r pcap -V} and reads its verbose dissection. */
    public static Report analyze(Path pcap) {
        if (!Files.exists(pcap)) {
            throw new LabException("no capture file " + pcap);
        }
        ExecResult result = Commands.run(Duration.ofSeconds(60), "tshark", "-n", "-r", pcap.toString(), "-V").orThrow();
        return parse(result.stdout());
    }

    /** Reads tshark -V output: counts frames and ESP layers and collects error markers. */
    public static Report parse(String dissection) {
        int frames = 0;
        int esp = 0;
        int framesWithErrors = 0;
        boolean currentFrameHasError = false;
        List<String> errors = new ArrayList<>();
        for (String line : dissection.split("\n")) {
            // layer headers start at column 0; details are indented
            if (line.startsWith("Frame ")) {
                frames++;
                currentFrameHasError = false;
            } else if (line.startsWith("Encapsulating Security Payload")) {
                esp++;
            }
            if (line.contains("Malformed Packet") || line.contains("Expert Info (Error")) {
                errors.add(line.strip());
                if (!currentFrameHasError) {
                    framesWithErrors++;
                    currentFrameHasError = true;
                }
            }
        }
        return new Report(frames, esp, framesWithErrors, List.copyOf(errors), dissection);
    }
}
