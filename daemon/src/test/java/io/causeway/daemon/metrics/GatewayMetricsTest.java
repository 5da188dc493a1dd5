package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.SaCounters;
import io.causeway.ike.TunnelState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The events and the scrape-time collector, driven with a fake clock and a fake gateway readout. */
class GatewayMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final Map<String, TunnelState> states = new LinkedHashMap<>();
    private final Map<String, Long> drops = new LinkedHashMap<>();
    private final TunnelTraffic traffic = new TunnelTraffic();
    private final GatewayMetrics metrics = new GatewayMetrics(registry,
            () -> new GatewayReadout.Sample(states, drops), clock::get, traffic);

    /** An IKE header (RFC 7296 3.1) with nothing behind it: all the metrics read. */
    private static byte[] ike(long spiI, long spiR, int exchange, boolean response, int messageId) {
        ByteBuffer b = ByteBuffer.allocate(28);
        // next payload SA (33), version 2.0, exchange type, flags (I or R), message id, length
        b.putLong(spiI).putLong(spiR).put((byte) 33).put((byte) 0x20).put((byte) exchange)
                .put((byte) (response ? 0x20 : 0x08)).putInt(messageId).putInt(28);
        return b.array();
    }

    private Map<String, Double> scrape() {
        return Exposition.samples(Exposition.text(registry));
    }

    @Test
    void handshakeTimeRunsFromTheFirstIkeSaInitToConnected() {
        long spi = 0x1122334455667788L;
        metrics.ikeMessage(ike(spi, 0, IkeHeader.IKE_SA_INIT, false, 0), true);
        clock.addAndGet(1_000);
        metrics.ikeMessage(ike(spi, 0, IkeHeader.IKE_SA_INIT, false, 0), true); // retransmitted: the start stays
        clock.addAndGet(50);
        metrics.ikeMessage(ike(spi, 9, IkeHeader.IKE_SA_INIT, true, 0), false);
        metrics.ikeMessage(ike(spi, 9, IkeHeader.IKE_AUTH, false, 1), true);
        clock.addAndGet(200);
        metrics.ikeMessage(ike(spi, 9, IkeHeader.IKE_AUTH, true, 1), false);
        metrics.stateChanged("t", TunnelState.CONNECTED, null);

        Map<String, Double> s = scrape();
        assertThat(s).containsEntry("causeway_ike_handshake_seconds_count", 1.0);
        assertThat(s.get("causeway_ike_handshake_seconds_sum")).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s).containsEntry("causeway_ike_exchanges_total{exchange=\"ike_sa_init\",role=\"initiator\"}", 1.0);
        assertThat(s).containsEntry("causeway_ike_exchanges_total{exchange=\"ike_auth\",role=\"initiator\"}", 1.0);

        // a new CHILD_SA on the same IKE SA connects again: no handshake of its own
        metrics.ikeMessage(ike(spi, 9, IkeHeader.CREATE_CHILD_SA, true, 2), false);
        metrics.stateChanged("t", TunnelState.CONNECTED, null);
        assertThat(scrape()).containsEntry("causeway_ike_handshake_seconds_count", 1.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"create_child_sa\",role=\"initiator\"}", 1.0);
    }

    @Test
    void asResponderTheHandshakeStartsWithTheReceivedRequest() {
        long spi = 42;
        metrics.ikeMessage(ike(spi, 0, IkeHeader.IKE_SA_INIT, false, 0), false);
        metrics.ikeMessage(ike(spi, 7, IkeHeader.IKE_SA_INIT, true, 0), true);
        clock.addAndGet(300);
        metrics.ikeMessage(ike(spi, 7, IkeHeader.IKE_AUTH, false, 1), false);
        metrics.stateChanged("r", TunnelState.CONNECTED, null);
        metrics.ikeMessage(ike(spi, 7, IkeHeader.IKE_AUTH, true, 1), true);
        metrics.ikeMessage(ike(spi, 7, IkeHeader.IKE_AUTH, true, 1), true); // answer to a retransmission

        Map<String, Double> s = scrape();
        assertThat(s).containsEntry("causeway_ike_handshake_seconds_count", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_sum", 0.3)
                .containsEntry("causeway_ike_handshake_seconds_bucket{le=\"0.5\"}", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_bucket{le=\"0.25\"}", 0.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"ike_auth\",role=\"responder\"}", 1.0);
    }

    @Test
    void failuresAreCountedByFixedReasonAndRekeysByTunnel() {
        metrics.stateChanged("t", TunnelState.PHASE1_FAILED,
                "peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids");
        metrics.stateChanged("t", TunnelState.PHASE2_FAILED, "peer answered TS_UNACCEPTABLE for the CHILD_SA");
        metrics.stateChanged("t", TunnelState.DOWN, "peer deleted the IKE SA");
        metrics.childInstalled("t", 1, new SaCounters(), new SaCounters());
        metrics.childInstalled("t", 2, new SaCounters(), new SaCounters());
        metrics.childRemoved("t", 1);
        metrics.childInstalled("t", 3, new SaCounters(), new SaCounters());
        metrics.ikeSaRekeyed("t");

        Map<String, Double> s = scrape();
        assertThat(s).containsEntry("causeway_ike_failures_total{reason=\"auth_failed\",tunnel=\"t\"}", 1.0)
                .containsEntry("causeway_ike_failures_total{reason=\"ts_unacceptable\",tunnel=\"t\"}", 1.0)
                .containsEntry("causeway_rekeys_total{kind=\"child\",tunnel=\"t\"}", 2.0)
                .containsEntry("causeway_rekeys_total{kind=\"ike\",tunnel=\"t\"}", 1.0);
        assertThat(s.keySet()).noneMatch(k -> k.startsWith("causeway_ike_failures_total") && k.contains("other"));
    }

    @Test
    void scrapeReadsStatesHealthTrafficAndDrops() {
        states.put("t", TunnelState.CONNECTED);
        states.put("u", TunnelState.PHASE1_FAILED);
        drops.put("replay", 3L);
        drops.put("selector", 2L);
        drops.put("auth_failed", 1L);
        TunnelTrafficTest.FakeMeter old = new TunnelTrafficTest.FakeMeter();
        traffic.installed("t", 1, old);
        old.add(1000);
        TunnelTrafficTest.FakeMeter rekeyed = new TunnelTrafficTest.FakeMeter();
        traffic.installed("t", 2, rekeyed);
        traffic.removed("t", 1);
        rekeyed.add(24);

        Map<String, Double> s = scrape();
        assertThat(s).containsEntry("causeway_tunnel_up{tunnel=\"t\"}", 1.0)
                .containsEntry("causeway_tunnel_up{tunnel=\"u\"}", 0.0)
                .containsEntry("causeway_tunnel_state{state=\"CONNECTED\",tunnel=\"t\"}", 1.0)
                .containsEntry("causeway_tunnel_state{state=\"DOWN\",tunnel=\"t\"}", 0.0)
                .containsEntry("causeway_tunnel_state{state=\"PHASE1_FAILED\",tunnel=\"u\"}", 1.0)
                .containsEntry("causeway_tunnel_bytes_total{direction=\"in\",tunnel=\"t\"}", 1024.0)
                .containsEntry("causeway_tunnel_bytes_total{direction=\"out\",tunnel=\"t\"}", 2048.0)
                .containsEntry("causeway_tunnel_packets_total{direction=\"in\",tunnel=\"t\"}", 2.0)
                .containsEntry("causeway_tunnel_bytes_total{direction=\"in\",tunnel=\"u\"}", 0.0)
                .containsEntry("causeway_dropped_packets_total{reason=\"replay\"}", 3.0)
                .containsEntry("causeway_dropped_packets_total{reason=\"selector_mismatch\"}", 2.0)
                .containsEntry("causeway_dropped_packets_total{reason=\"auth_failed\"}", 1.0);
        assertThat(s.keySet().stream().filter(k -> k.startsWith("causeway_tunnel_state{") && k.contains("\"t\"")))
                .hasSize(TunnelState.values().length);
    }

    @Test
    void aFailingReadoutStillServesTheCounters() {
        PrometheusRegistry other = new PrometheusRegistry();
        TunnelTraffic t = new TunnelTraffic();
        new GatewayMetrics(other, () -> {
            throw new java.util.concurrent.TimeoutException("control thread busy");
        }, clock::get, t);
        t.installed("t", 1, new TunnelTrafficTest.FakeMeter());
        Map<String, Double> s = Exposition.samples(Exposition.text(other));
        assertThat(s).containsEntry("causeway_tunnel_bytes_total{direction=\"in\",tunnel=\"t\"}", 0.0);
        assertThat(s.keySet()).noneMatch(k -> k.startsWith("causeway_tunnel_up"));
    }

    @Test
    void shortOrForeignDatagramsAreIgnored() {
        metrics.ikeMessage(new byte[10], false);
        metrics.ikeMessage(null, true);
        assertThat(scrape().keySet()).noneMatch(k -> k.startsWith("causeway_ike_exchanges_total"));
    }
}
