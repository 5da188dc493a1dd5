package io.causeway.daemon.metrics;

import io.causeway.esp.SaCounters;
import io.causeway.ike.TunnelState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;

/**
 * The metrics the gateway's events produce (IKE exchanges, failures, rekeys, handshake times),
 * plus the scrape-time collector of states, traffic and drops. Events arrive on the control
 * thread; Prometheus reads from its HTTP threads.
 */
public final class GatewayMetrics implements TunnelEvents {
    private final LongSupplier clockMillis;
    private final TunnelTraffic traffic;
    private final HandshakeTimer handshakes = new HandshakeTimer();
    private final ExchangeCounter exchangeCounter = new ExchangeCounter();
    private final Counter exchanges;
    private final Counter failures;
    private final Counter rekeys;
    private final Histogram handshakeSeconds;

    public GatewayMetrics(PrometheusRegistry registry, GatewayReadout readout, LongSupplier clockMillis) {
        this(registry, readout, clockMillis, new TunnelTraffic());
    }

    GatewayMetrics(PrometheusRegistry registry, GatewayReadout readout, LongSupplier clockMillis, TunnelTraffic traffic) {
        this.traffic = traffic;
        this.clockMillis = clockMillis;
        exchanges = Counter.builder().name("causeway_ike_exchanges_total")
                .help("IKE exchanges completed (first response per message id), by exchange type and our role")
                .labelNames("exchange", "role").register(registry);
        failures = Counter.builder().name("causeway_ike_failures_total")
                .help("negotiations that ended PHASE1_FAILED or PHASE2_FAILED, by reason")
                .labelNames("tunnel", "reason").register(registry);
        rekeys = Counter.builder().name("causeway_rekeys_total")
                .help("rekeys: kind=child, a CHILD_SA installed while the tunnel had one; kind=ike, the IKE SA replaced")
                .labelNames("tunnel", "kind").register(registry);
        handshakeSeconds = Histogram.builder().name("causeway_ike_handshake_seconds")
                .help("time from the first IKE_SA_INIT request sent or received to CONNECTED")
                .classicOnly().classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
        registry.register(new ScrapeCollector(readout, traffic::totals));
    }

    @Override
    public void ikeMessage(byte[] message, boolean sent) {
        IkeHeader h = IkeHeader.parse(message);
        if (h == null) return;
        handshakes.message(h, sent, clockMillis.getAsLong());
        if (exchangeCounter.completes(h, sent)) {
            // we sent the response: the peer started the exchange
            exchanges.labelValues(IkeHeader.exchangeName(h.exchangeType()), sent ? "responder" : "initiator").inc();
        }
    }

    @Override
    public void stateChanged(String tunnel, TunnelState state, String lastError) {
        switch (state) {
            case CONNECTED -> {
                double seconds = handshakes.connected(clockMillis.getAsLong());
                if (seconds >= 0) handshakeSeconds.observe(seconds);
            }
            case PHASE1_FAILED, PHASE2_FAILED -> failures.labelValues(tunnel, FailureReason.of(lastError).label()).inc();
            default -> { }
        }
    }

    @Override
    public void childInstalled(String tunnel, int inboundSpi, SaCounters in, SaCounters out) {
        if (traffic.installed(tunnel, inboundSpi, TunnelTraffic.Meter.of(in, out))) rekeys.labelValues(tunnel, "child").inc();
    }

    @Override
    public void childRemoved(String tunnel, int inboundSpi) {
        traffic.removed(tunnel, inboundSpi);
    }

    @Override
    public void ikeSaRekeyed(String tunnel) {
        rekeys.labelValues(tunnel, "ike").inc();
    }
}
