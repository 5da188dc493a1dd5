package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.SecureRandomSource;
import io.causeway.ike.sa.ChildSaInstall;
import io.causeway.ike.sa.ChildSaRemoval;
import io.causeway.ike.sa.FailureCause;
import io.causeway.ike.sa.IkeActions;
import io.causeway.ike.sa.IkeDatagram;
import io.causeway.ike.sa.IkeEngine;
import io.causeway.ike.sa.TimerKey;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real engines in memory, each reporting to its own metrics the way EngineActions forwards the engine's events:
 * the documented series come out of what the engine did, with no datagram parsed for them.
 */
class EngineMetricsTest {
    private static final String SECRETS = "west.example east.example : PSK \"correct horse battery staple\"\n";

    @TempDir
    Path dir;

    /** Forwards as EngineActions does: failures with their cause, exchanges, handshakes. */
    private static final class Side implements IkeActions {
        final PrometheusRegistry registry = new PrometheusRegistry();
        final GatewayMetrics metrics = new GatewayMetrics(registry, () -> new GatewayReadout.Sample(Map.of(), Map.of()));
        final List<IkeDatagram> outbox = new ArrayList<>();

        @Override
        public void send(IkeDatagram d) {
            outbox.add(d);
        }

        @Override
        public void setTimer(TimerKey key, long atMillis) {}

        @Override
        public void cancelTimer(TimerKey key) {}

        @Override
        public void installChildSa(ChildSaInstall child) {}

        @Override
        public void removeChildSa(ChildSaRemoval child) {}

        @Override
        public void activateOutbound(String connection, int inboundSpi) {}

        @Override
        public void stateChanged(String connection, TunnelState state, String lastError) {
            stateChanged(connection, state, lastError, FailureCause.OTHER);
        }

        @Override
        public void stateChanged(String connection, TunnelState state, String lastError, FailureCause cause) {
            if (state == TunnelState.PHASE1_FAILED || state == TunnelState.PHASE2_FAILED) metrics.failed(connection, cause);
        }

        @Override
        public void exchangeCompleted(String connection, int exchangeType, boolean weInitiated) {
            metrics.exchangeCompleted(connection, exchangeType, weInitiated);
        }

        @Override
        public void handshakeCompleted(String connection, long durationMillis) {
            metrics.handshakeCompleted(connection, durationMillis);
        }

        Map<String, Double> scrape() {
            return Exposition.samples(Exposition.text(registry));
        }
    }

    private final Side west = new Side();
    private final Side east = new Side();

    private IkeEngine engine(String name, String conf, String secrets, Side side) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        LoadResult r = ConfigLoader.load(Files.writeString(d.resolve("ipsec.conf"), conf),
                Files.writeString(d.resolve("ipsec.secrets"), secrets));
        assertThat(r.errors()).isEmpty();
        return new IkeEngine(r.config().activeConnections(), r.config().secrets(), new SecureRandomSource(), side);
    }

    private static String conf(String left, String leftId, String leftSubnet, String right, String rightId,
                               String rightSubnet, String auto) {
        return String.join("\n", "conn net", "    authby=psk", "    left=" + left, "    leftid=" + leftId,
                "    leftsubnet=" + leftSubnet, "    right=" + right, "    rightid=" + rightId,
                "    rightsubnet=" + rightSubnet, "    ike=aes128-sha256-modp2048", "    esp=aes128gcm16",
                "    keyingtries=1", "    auto=" + auto, "");
    }

    /** West initiates; datagrams go back and forth until both are quiet (no clock: nothing is lost). */
    private void run(String westConf, String eastConf, String eastSecrets) throws Exception {
        IkeEngine w = engine("west", westConf, SECRETS, west);
        IkeEngine e = engine("east", eastConf, eastSecrets, east);
        InetSocketAddress wa = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 500);
        InetSocketAddress ea = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 500);
        w.initiate("net", wa, ea, 1_000);
        for (int round = 0; round < 50 && !(west.outbox.isEmpty() && east.outbox.isEmpty()); round++) {
            List<IkeDatagram> toEast = new ArrayList<>(west.outbox);
            List<IkeDatagram> toWest = new ArrayList<>(east.outbox);
            west.outbox.clear();
            east.outbox.clear();
            toEast.forEach(d -> e.receive(new IkeDatagram(d.bytes(), d.remote(), d.local()), 1_000));
            toWest.forEach(d -> w.receive(new IkeDatagram(d.bytes(), d.remote(), d.local()), 1_000));
        }
    }

    private static String westConf() {
        return conf("192.0.2.1", "west.example", "10.1.0.0/24", "192.0.2.2", "east.example", "10.2.0.0/24", "start");
    }

    private static String eastConf() {
        return conf("192.0.2.2", "east.example", "10.2.0.0/24", "%any", "west.example", "10.1.0.0/24", "add");
    }

    @Test
    void aHandshakeCountsItsExchangesByRoleAndOneHandshake() throws Exception {
        run(westConf(), eastConf(), SECRETS);

        assertThat(west.scrape()).containsEntry("causeway_ike_exchanges_total{exchange=\"ike_sa_init\",role=\"initiator\"}", 1.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"ike_auth\",role=\"initiator\"}", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_count", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_sum", 0.0);
        assertThat(east.scrape()).containsEntry("causeway_ike_exchanges_total{exchange=\"ike_sa_init\",role=\"responder\"}", 1.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"ike_auth\",role=\"responder\"}", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_count", 1.0);
        assertThat(west.scrape().keySet()).noneMatch(k -> k.startsWith("causeway_ike_failures_total"));
    }

    @Test
    void aWrongPskCountsAuthFailedOnBothSides() throws Exception {
        run(westConf(), eastConf(), "west.example east.example : PSK \"wrong\"\n");

        assertThat(west.scrape()).containsEntry("causeway_ike_failures_total{reason=\"auth_failed\",tunnel=\"net\"}", 1.0);
        assertThat(west.scrape().getOrDefault("causeway_ike_handshake_seconds_count", 0.0)).isZero();
        assertThat(east.scrape()).containsEntry("causeway_ike_failures_total{reason=\"auth_failed\",tunnel=\"net\"}", 1.0);
    }

    @Test
    void mismatchedProposalsAndSelectorsCountTheirReasons() throws Exception {
        run(westConf().replace("esp=aes128gcm16", "esp=aes256gcm16"), eastConf(), SECRETS);
        assertThat(west.scrape()).containsEntry("causeway_ike_failures_total{reason=\"no_proposal\",tunnel=\"net\"}", 1.0);
        assertThat(east.scrape()).containsEntry("causeway_ike_failures_total{reason=\"no_proposal\",tunnel=\"net\"}", 1.0);
    }

    @Test
    void disjointSelectorsCountTsUnacceptable() throws Exception {
        run(westConf().replace("rightsubnet=10.2.0.0/24", "rightsubnet=10.9.0.0/24"), eastConf(), SECRETS);
        assertThat(west.scrape()).containsEntry("causeway_ike_failures_total{reason=\"ts_unacceptable\",tunnel=\"net\"}", 1.0);
        assertThat(east.scrape()).containsEntry("causeway_ike_failures_total{reason=\"ts_unacceptable\",tunnel=\"net\"}", 1.0);
    }
}
