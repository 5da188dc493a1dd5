package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.SaCounters;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.sa.FailureCause;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's events and the scrape-time collector, driven with a fake gateway readout. */
class GatewayMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, TunnelState> states = new LinkedHashMap<>();
    private final Map<String, Long> drops = new LinkedHashMap<>();
    private final TunnelTraffic traffic = new TunnelTraffic();
    private final GatewayMetrics metrics = new GatewayMetrics(registry,
            () -> new GatewayReadout.Sample(states, drops), traffic);

    private Map<String, Double> scrape() {
        return Exposition.samples(Exposition.text(registry));
    }

    @Test
    void handshakeTimeAndExchangesComeFromTheEnginesEvents() {
        // as the engine reports an initiated handshake: IKE_SA_INIT (retransmitted once) and IKE_AUTH, then CONNECTED
        metrics.exchangeCompleted("t", ExchangeType.IKE_SA_INIT, true);
        metrics.exchangeCompleted("t", ExchangeType.IKE_AUTH, true);
        metrics.handshakeCompleted("t", 1_250);

        Map<String, Double> s = scrape();
        assertThat(s).containsEntry("causeway_ike_handshake_seconds_count", 1.0);
        assertThat(s.get("causeway_ike_handshake_seconds_sum")).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s).containsEntry("causeway_ike_exchanges_total{exchange=\"ike_sa_init\",role=\"initiator\"}", 1.0);
        assertThat(s).containsEntry("causeway_ike_exchanges_total{exchange=\"ike_auth\",role=\"initiator\"}", 1.0);

        // a new CHILD_SA on the same IKE SA is an exchange, not a handshake
        metrics.exchangeCompleted("t", ExchangeType.CREATE_CHILD_SA, true);
        assertThat(scrape()).containsEntry("causeway_ike_handshake_seconds_count", 1.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"create_child_sa\",role=\"initiator\"}", 1.0);
    }

    @Test
    void asResponderTheExchangesCountUnderTheResponderRole() {
        metrics.exchangeCompleted("r", ExchangeType.IKE_SA_INIT, false);
        metrics.exchangeCompleted("r", ExchangeType.IKE_AUTH, false);
        metrics.handshakeCompleted("r", 300);
        metrics.exchangeCompleted(null, ExchangeType.IKE_SA_INIT, false); // a stateless COOKIE answer
        metrics.exchangeCompleted("r", 99, false); // a type we do not know: never its number as a label

        Map<String, Double> s = scrape();
        assertThat(s).containsEntry("causeway_ike_handshake_seconds_count", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_sum", 0.3)
                .containsEntry("causeway_ike_handshake_seconds_bucket{le=\"0.5\"}", 1.0)
                .containsEntry("causeway_ike_handshake_seconds_bucket{le=\"0.25\"}", 0.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"ike_sa_init\",role=\"responder\"}", 2.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"ike_auth\",role=\"responder\"}", 1.0)
                .containsEntry("causeway_ike_exchanges_total{exchange=\"other\",role=\"responder\"}", 1.0);
        assertThat(s.keySet()).noneMatch(k -> k.contains("99"));
    }

    @Test
    void failuresAreCountedByFixedReasonAndRekeysByTunnel() {
        metrics.failed("t", FailureCause.AUTH_FAILED);
        metrics.failed("t", FailureCause.TS_UNACCEPTABLE);
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
        }, t);
        t.installed("t", 1, new TunnelTrafficTest.FakeMeter());
        Map<String, Double> s = Exposition.samples(Exposition.text(other));
        assertThat(s).containsEntry("causeway_tunnel_bytes_total{direction=\"in\",tunnel=\"t\"}", 0.0);
        assertThat(s.keySet()).noneMatch(k -> k.startsWith("causeway_tunnel_up"));
    }
}
