package io.causeway.daemon.metrics;

import io.causeway.ike.TunnelState;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics read when Prometheus scrapes: tunnel states and health, traffic per tunnel, drops
 * by reason. Nothing is counted in between, so these cost nothing while nobody scrapes.
 */
final class ScrapeCollector implements MultiCollector {
    private static final Logger log = LoggerFactory.getLogger(ScrapeCollector.class);
    /** The data path's name for an inner packet outside the SA's selectors. */
    private static final String SELECTOR = "selector";

    private final GatewayReadout readout;
    private final Supplier<Map<String, TunnelTraffic.Totals>> traffic;

    ScrapeCollector(GatewayReadout readout, Supplier<Map<String, TunnelTraffic.Totals>> traffic) {
        this.readout = readout;
        this.traffic = traffic;
    }

    @Override
    public MetricSnapshots collect() {
        GatewayReadout.Sample sample;
        try {
            sample = readout.read();
        } catch (Exception e) {
            // a busy control thread costs this scrape its states and drops, not the traffic counters
            log.warn("metrics: cannot read the gateway's status: {}", e.toString());
            sample = new GatewayReadout.Sample(Map.of(), Map.of());
        }
        Map<String, TunnelTraffic.Totals> totals = traffic.get();
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(states(sample.states()));
        all.add(up(sample.states()));
        Set<String> tunnels = new LinkedHashSet<>(sample.states().keySet());
        tunnels.addAll(totals.keySet());
        all.add(traffic("causeway_tunnel_bytes", "inner-packet bytes through the tunnel's CHILD_SAs, removed SAs included",
                tunnels, totals, true));
        all.add(traffic("causeway_tunnel_packets", "packets through the tunnel's CHILD_SAs, removed SAs included",
                tunnels, totals, false));
        all.add(drops(sample.drops()));
        return new MetricSnapshots(all);
    }

    private static GaugeSnapshot states(Map<String, TunnelState> states) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("causeway_tunnel_state")
                .help("1 for the tunnel's current state, 0 for the others");
        states.forEach((tunnel, current) -> {
            for (TunnelState s : TunnelState.values()) {
                b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("tunnel", tunnel, "state", s.name()))
                        .value(s == current ? 1 : 0).build());
            }
        });
        return b.build();
    }

    /** Seed 004's tunnel health: 1 while connected, 0 while connecting, failed or down. */
    private static GaugeSnapshot up(Map<String, TunnelState> states) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("causeway_tunnel_up")
                .help("tunnel health: 1 when CONNECTED, else 0");
        states.forEach((tunnel, s) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("tunnel", tunnel))
                .value(s == TunnelState.CONNECTED ? 1 : 0).build()));
        return b.build();
    }

    private static CounterSnapshot traffic(String name, String help, Set<String> tunnels,
                                           Map<String, TunnelTraffic.Totals> totals, boolean bytes) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (String tunnel : tunnels) {
            TunnelTraffic.Totals t = totals.getOrDefault(tunnel, TunnelTraffic.Totals.ZERO);
            b.dataPoint(point(Labels.of("tunnel", tunnel, "direction", "in"), bytes ? t.bytesIn() : t.packetsIn()));
            b.dataPoint(point(Labels.of("tunnel", tunnel, "direction", "out"), bytes ? t.bytesOut() : t.packetsOut()));
        }
        return b.build();
    }

    private static CounterSnapshot drops(Map<String, Long> drops) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name("causeway_dropped_packets")
                .help("packets the data path dropped, by reason (auth_failed: ICV check failed)");
        drops.forEach((reason, count) -> b.dataPoint(point(Labels.of("reason", reasonLabel(reason)), count)));
        return b.build();
    }

    static String reasonLabel(String statusName) {
        return SELECTOR.equals(statusName) ? "selector_mismatch" : statusName.toLowerCase(Locale.ROOT);
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
