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
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Complete IKE_SA_INIT + IKE_AUTH handshakes (PSK, first CHILD_SA) between two engines in memory:
 * both sides' DH, key derivation, AUTH and SK protection, no sockets. One op = one tunnel up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IkeHandshakeBench {
    private static final InetSocketAddress WEST = new InetSocketAddress("192.0.2.1", 500);
    private static final InetSocketAddress EAST = new InetSocketAddress("192.0.2.2", 500);

    /** DH group of the IKE proposal: 14 (modp2048), 19 (ecp256), 31 (curve25519). */
    @Param({"modp2048", "ecp256", "curve25519"})
    public String group;

    private Config west;
    private Config east;
    private Path dir;

    @Setup
    public void load() throws Exception {
        dir = Files.createTempDirectory("cw-ike-bench");
        west = config(dir, "west", "192.0.2.1", "west.example", "10.1.0.0/24", "192.0.2.2", "east.example",
                "10.2.0.0/24", "start");
        east = config(dir, "east", "192.0.2.2", "east.example", "10.2.0.0/24", "%any", "west.example",
                "10.1.0.0/24", "add");
    }

    @TearDown
    public void removeFiles() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Config config(Path dir, String name, String left, String leftId, String leftNet, String right,
                          String rightId, String rightNet, String auto) throws Exception {
        Path conf = Files.writeString(dir.resolve(name + ".conf"), String.join("\n",
                "conn bench", "    authby=psk", "    left=" + left, "    leftid=" + leftId,
                "    leftsubnet=" + leftNet, "    right=" + right, "    rightid=" + rightId,
                "    rightsubnet=" + rightNet, "    ike=aes128gcm16-prfsha256-" + group + "!",
                "    esp=aes128gcm16!", "    auto=" + auto, ""));
        Path secrets = Files.writeString(dir.resolve(name + ".secrets"),
                "west.example east.example : PSK \"benchmark key\"\n");
        LoadResult r = ConfigLoader.load(conf, secrets);
        if (!r.ok()) throw new IllegalStateException(r.errors().toString());
        return r.config();
    }

    @Benchmark
    public int handshake() {
        Wire wire = new Wire();
        IkeEngine w = new IkeEngine(west.activeConnections(), west.secrets(), new SecureRandomSource(), wire.west);
        IkeEngine e = new IkeEngine(east.activeConnections(), east.secrets(), new SecureRandomSource(), wire.east);
        w.initiate("bench", WEST, EAST, 0);
        while (!wire.queue.isEmpty()) {
            IkeDatagram d = wire.queue.poll();
            // datagrams arrive with local = receiver, remote = sender
            IkeDatagram arriving = new IkeDatagram(d.bytes(), d.remote(), d.local());
            (d.remote().equals(EAST) ? e : w).receive(arriving, 0);
        }
        if (wire.west.state != TunnelState.CONNECTED) throw new IllegalStateException("handshake failed: " + wire.west.state);
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
