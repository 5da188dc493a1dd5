package io.causeway.daemon.gateway;

import io.causeway.conf.net.Subnet;
import io.causeway.esp.policy.TrafficSelector;
import java.util.List;

/** Configured subnets as the data plane's traffic selectors, for SAs and traps alike. */
final class SubnetSelectors {
    private SubnetSelectors() {}

    static List<TrafficSelector> of(List<Subnet> subnets) {
        return subnets.stream().map(s -> TrafficSelector.parse(s.toString())).toList();
    }
}
