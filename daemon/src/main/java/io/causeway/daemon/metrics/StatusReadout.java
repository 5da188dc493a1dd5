package io.causeway.daemon.metrics;

import io.causeway.ike.TunnelState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Reads a scrape's sample from what `status --json` already shows (its field names are a contract
 * that only grows): tunnel states and per-tunnel trap drops from the gateway's status, taken on
 * the control thread, and the data path's drop counters, which any thread may read.
 */
public final class StatusReadout implements GatewayReadout {
    private final Callable<Map<String, Object>> status;
    private final Supplier<Map<String, Object>> dataPathDrops;

    public StatusReadout(Callable<Map<String, Object>> status, Supplier<Map<String, Object>> dataPathDrops) {
        this.status = status;
        this.dataPathDrops = dataPathDrops;
    }

    @Override
    public Sample read() throws Exception {
        Map<String, TunnelState> states = new LinkedHashMap<>();
        Map<String, Long> drops = new LinkedHashMap<>();
        addAll(drops, dataPathDrops.get());
        Object tunnels = status.call().get("tunnels");
        if (tunnels instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> t)) continue;
                states.put(String.valueOf(t.get("name")), TunnelState.valueOf(String.valueOf(t.get("state"))));
                if (t.get("drops") instanceof Map<?, ?> tunnelDrops) addAll(drops, tunnelDrops);
            }
        }
        return new Sample(states, drops);
    }

    private static void addAll(Map<String, Long> into, Map<?, ?> counts) {
        for (Map.Entry<?, ?> e : counts.entrySet()) {
            if (e.getValue() instanceof Number n) into.merge(String.valueOf(e.getKey()), n.longValue(), Long::sum);
        }
    }
}
