package io.causeway.daemon.metrics;

import io.causeway.esp.SaCounters;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.sa.FailureCause;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The metrics the gateway's events produce (IKE exchanges, failures, rekeys, handshake times, as the
 * engine reports them), plus the scrape-time collector of states, traffic and drops. Events arrive on
 * the control thread; Prometheus reads from its HTTP threads.
 */
public final class GatewayMetrics implements TunnelEvents {
    private final TunnelTraffic traffic;
    private final Counter exchanges;
    private final Counter failures;
    private final Counter rekeys;
    private final Histogram handshakeSeconds;

    public GatewayMetrics(PrometheusRegistry registry, GatewayReadout readout) {
        this(registry, readout, new TunnelTraffic());
    }

    GatewayMetrics(PrometheusRegistry registry, GatewayReadout readout, TunnelTraffic traffic) {
        this.traffic = traffic;
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
    public void exchangeCompleted(String tunnel, int exchangeType, boolean weInitiated) {
        exchanges.labelValues(exchangeName(exchangeType), weInitiated ? "initiator" : "responder").inc();
    }

    @Override
    public void handshakeCompleted(String tunnel, long durationMillis) {
        handshakeSeconds.observe(durationMillis / 1000.0);
    }

    @Override
    public void failed(String tunnel, FailureCause cause) {
        failures.labelValues(tunnel, FailureReason.label(cause)).inc();
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

    /** The label value of an exchange type: one of a fixed set, never the peer's number as text. */
    static String exchangeName(int type) {
        return switch (type) {
            case ExchangeType.IKE_SA_INIT -> "ike_sa_init";
            case ExchangeType.IKE_AUTH -> "ike_auth";
            case ExchangeType.CREATE_CHILD_SA -> "create_child_sa";
            case ExchangeType.INFORMATIONAL, V1ExchangeType.INFORMATIONAL -> "informational";
            // IKEv1's numbers (RFC 2408 4.1) do not collide with IKEv2's (34-37)
            case V1ExchangeType.IDENTITY_PROTECTION -> "main_mode";
            case V1ExchangeType.AGGRESSIVE -> "aggressive_mode";
            case V1ExchangeType.QUICK_MODE -> "quick_mode";
            default -> "other";
        };
    }
}
