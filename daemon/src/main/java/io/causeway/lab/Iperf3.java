package io.causeway.lab;

import io.causeway.daemon.control.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
  * One iperf3 TCP measurement: a one-off server in one namespace, a JSON client in another, with
  * one stream or several in parallel (-P; the result is then their sum, iperf3's SUM line).
  */
public final class Iperf3 {
    public static final int DEFAULT_PORT = 5201;
    private static final Duration SERVER_START = Duration.ofSeconds(10);

    /** What the receiver got; bitsPerSecond is end.sum_received.bits_per_second (all streams). */
    public record Result(double bitsPerSecond, double sentBitsPerSecond, long retransmits, double seconds) {
        public double mbitPerSecond() {
            return bitsPerSecond / 1e6;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f Mbit/s received over %.1f s (%d retransmits)",
                    mbitPerSecond(), seconds, retransmits);
        }
    }

    /** What the receiver counted of a UDP test (end.sum_received): datagrams that arrived and that never did. */
    public record UdpResult(long packets, long lost, double mbitPerSecond) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d of %d datagrams lost, %.1f Mbit/s received", lost, packets,
                    mbitPerSecond);
        }
    }

    private Iperf3() {}

    /**
      * A UDP test at a fixed rate (-u -b), one stream, from client to server, for a count of what was lost: unlike
      * TCP, nothing is resent, so every datagram the tunnel drops shows.
      */
    public static UdpResult udp(Netns serverNs, String serverAddress, Netns clientNs, String clientAddress,
            int seconds, int mbitPerSecond, int port, Path logDir) {
        return parseUdp(run(serverNs, serverAddress, clientNs, clientAddress, seconds, port, logDir,
                List.of("-u", "-b", mbitPerSecond + "M", "-l", "1200")));
    }

    /** Reads iperf3 --json output of a UDP test. */
    public static UdpResult parseUdp(String json) {
        Object root = root(json);
        Object packets = Json.path(root, "end", "sum_received", "packets");
        Object lost = Json.path(root, "end", "sum_received", "lost_packets");
        Object bps = Json.path(root, "end", "sum_received", "bits_per_second");
        if (!(packets instanceof Number p) || !(lost instanceof Number l)) {
            throw new LabException("iperf3 JSON without end.sum_received.packets and lost_packets");
        }
        return new UdpResult(p.longValue(), l.longValue(), bps instanceof Number b ? b.doubleValue() / 1e6 : Double.NaN);
    }

    private static Object root(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new LabException("iperf3 printed no JSON: " + e.getMessage());
        }
        if (Json.path(root, "error") instanceof String error) {
            throw new LabException("iperf3: " + error);
        }
        return root;
    }

    /**
      * Runs a TCP test with the given number of parallel streams from client (bound to
      * clientAddress) to server (listening on serverAddress). The server runs with -1, so it exits
      * after this one test; it is killed anyway on failure.
      */
    public static Result measure(Netns serverNs, String serverAddress, Netns clientNs, String clientAddress,
            int seconds, int streams, int port, Path logDir) {
        return parse(run(serverNs, serverAddress, clientNs, clientAddress, seconds, port, logDir,
                List.of("-P", Integer.toString(streams))));
    }

    /**
      * A one-off server (-1: it exits after this test; killed anyway on failure) and a JSON client with the test's
      * own options; the client's output, which holds iperf3's errors too, so it is parsed before any exit code.
      */
    private static String run(Netns serverNs, String serverAddress, Netns clientNs, String clientAddress,
            int seconds, int port, Path logDir, List<String> testOptions) {
        Path serverLog = logDir.resolve("iperf3-server-" + serverNs.name() + "-" + port + ".log");
        Process server = serverNs.spawn(serverLog, "iperf3", "-s", "-1", "-B", serverAddress,
                "-p", Integer.toString(port));
        try {
            awaitListening(serverNs, server, port, serverLog);
            List<String> command = new ArrayList<>(List.of("iperf3", "-c", serverAddress, "-B", clientAddress,
                    "-p", Integer.toString(port), "-t", Integer.toString(seconds), "-J"));
            command.addAll(testOptions);
            ExecResult client = clientNs.exec(Duration.ofSeconds(seconds + 30L), command, null);
            if (client.timedOut()) {
                throw new LabException(client.describe());
            }
            return client.stdout();
        } finally {
            Commands.terminate(server.toHandle(), Duration.ofSeconds(3));
        }
    }

    public static Result measure(Netns serverNs, String serverAddress, Netns clientNs, String clientAddress,
            int seconds, int port, Path logDir) {
        return measure(serverNs, serverAddress, clientNs, clientAddress, seconds, 1, port, logDir);
    }

    public static Result measure(Netns serverNs, String serverAddress, Netns clientNs, String clientAddress,
            int seconds, Path logDir) {
        return measure(serverNs, serverAddress, clientNs, clientAddress, seconds, 1, DEFAULT_PORT, logDir);
    }

    private static void awaitListening(Netns ns, Process server, int port, Path log) {
        boolean listening = Poll.until(SERVER_START, () -> !server.isAlive()
                || !ns.exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :" + port).stdout().isBlank());
        if (!listening || !server.isAlive()) {
            throw new LabException("iperf3 server in " + ns.name() + " did not start listening on port " + port
                    + ":\n" + Files2.readOrEmpty(log));
        }
    }

    /** Reads iperf3 --json output of a TCP test. */
    public static Result parse(String json) {
        Object root = root(json);
        Object received = Json.path(root, "end", "sum_received", "bits_per_second");
        if (!(received instanceof Number bps)) {
            throw new LabException("iperf3 JSON without end.sum_received.bits_per_second");
        }
        Object sent = Json.path(root, "end", "sum_sent", "bits_per_second");
        Object retransmits = Json.path(root, "end", "sum_sent", "retransmits");
        Object seconds = Json.path(root, "end", "sum_received", "seconds");
        return new Result(bps.doubleValue(),
                sent instanceof Number d ? d.doubleValue() : Double.NaN,
                retransmits instanceof Number r ? r.longValue() : 0,
                seconds instanceof Number n ? n.doubleValue() : Double.NaN);
    }
}
