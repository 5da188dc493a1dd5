package io.causeway.bench;

import io.causeway.conf.Config;
import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.SecureRandomSource;
import io.causeway.ike.sa.ChildSaInstall;
import io.causeway.ike.sa.ChildSaRemoval;
import io.causeway.ike.sa.IkeActions;
import io.causeway.ike.sa.IkeDatagram;
import io.causeway.ike.sa.IkeEngine;
import io.causeway.ike.sa.TimerKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;

/**
 * Two fresh {@link IkeEngine}s (west initiating, east responding) joined by an in-memory queue, no sockets and no
 * timers: what the handshake benchmarks share. One {@link #handshake} is one tunnel brought up from nothing.
 */
final class EnginePair {
    static final InetSocketAddress WEST = new InetSocketAddress("192.0.2.1", 500);
    static final InetSocketAddress EAST = new InetSocketAddress("192.0.2.2", 500);
    static final String CONNECTION = "bench";

    private EnginePair() {}

    /**
     * West's and east's configuration of one PSK connection between 10.1.0.0/24 and 10.2.0.0/24, west initiating;
     * extra lines (e.g. {@code keyexchange=ikev1}, {@code ike=...}) go into both conn sections.
     */
    static Config[] configs(Path dir, List<String> extra) throws IOException {
        return new Config[] {
            config(dir, "west", "192.0.2.1", "west.example", "10.1.0.0/24", "192.0.2.2", "east.example",
                    "10.2.0.0/24", "start", extra),
            config(dir, "east", "192.0.2.2", "east.example", "10.2.0.0/24", "%any", "west.example",
                    "10.1.0.0/24", "add", extra)};
    }

    private static Config config(Path dir, String name, String left, String leftId, String leftNet, String right,
                                 String rightId, String rightNet, String auto, List<String> extra) throws IOException {
        StringBuilder conf = new StringBuilder(String.join("\n",
                "conn " + CONNECTION, "    authby=psk", "    left=" + left, "    leftid=" + leftId,
                "    leftsubnet=" + leftNet, "    right=" + right, "    rightid=" + rightId,
                "    rightsubnet=" + rightNet, "    auto=" + auto, ""));
        for (String line : extra) {
            conf.append("    ").append(line).append('\n');
        }
        Path confFile = Files.writeString(dir.resolve(name + ".conf"), conf);
        Path secrets = Files.writeString(dir.resolve(name + ".secrets"),
                "west.example east.example : PSK \"benchmark key\"\n");
        LoadResult r = ConfigLoader.load(confFile, secrets);
        if (!r.ok()) throw new IllegalStateException(r.errors().toString());
        return r.config();
    }

    static void removeFiles(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /**
     * New engines for both sides, west initiates, datagrams are delivered until neither side sends any more. Throws
     * unless both ends ended CONNECTED; returns the CHILD_SAs installed on both sides (2 for one subnet pair).
     */
    static int handshake(Config west, Config east) {
        Wire wire = new Wire();
        IkeEngine w = new IkeEngine(west.activeConnections(), west.secrets(), new SecureRandomSource(), wire.west);
        IkeEngine e = new IkeEngine(east.activeConnections(), east.secrets(), new SecureRandomSource(), wire.east);
        w.initiate(CONNECTION, WEST, EAST, 0);
        while (!wire.queue.isEmpty()) {
            IkeDatagram d = wire.queue.poll();
            // datagrams arrive with local = receiver, remote = sender
            IkeDatagram arriving = new IkeDatagram(d.bytes(), d.remote(), d.local());
            (d.remote().equals(EAST) ? e : w).receive(arriving, 0);
        }
        if (wire.west.state != TunnelState.CONNECTED || wire.east.state != TunnelState.CONNECTED) {
            throw new IllegalStateException("handshake failed: west " + wire.west.state + ", east " + wire.east.state);
        }
        return wire.west.installs + wire.east.installs;
    }

    /** Both engines' outputs: datagrams go into one queue, the rest is counted. */
    private static final class Wire {
        final ArrayDeque<IkeDatagram> queue = new ArrayDeque<>();
        final Side west = new Side();
        final Side east = new Side();

        final class Side implements IkeActions {
            TunnelState state;
            int installs;

            @Override
            public void send(IkeDatagram datagram) {
                queue.add(datagram);
            }

            @Override
            public void setTimer(TimerKey key, long atMillis) {}

            @Override
            public void cancelTimer(TimerKey key) {}

            @Override
            public void installChildSa(ChildSaInstall child) {
                installs++;
            }

            @Override
            public void removeChildSa(ChildSaRemoval child) {}

            @Override
            public void activateOutbound(String connection, int inboundSpi) {}

            @Override
            public void stateChanged(String connection, TunnelState s, String lastError) {
                state = s;
            }
        }
    }
}
