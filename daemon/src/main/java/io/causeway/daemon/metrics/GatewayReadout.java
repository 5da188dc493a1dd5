package io.causeway.daemon.metrics;

import io.causeway.ike.TunnelState;
import java.util.Map;

/** What a scrape reads from the running gateway, when Prometheus asks and not before. */
public interface GatewayReadout {
    /** Every configured tunnel's state, and the packets the data path dropped by the reason `status --json` names. */
    record Sample(Map<String, TunnelState> states, Map<String, Long> drops) {
        public Sample {
            states = Map.copyOf(states);
            drops = Map.copyOf(drops);
        }
    }

    Sample read() throws Exception;
}
