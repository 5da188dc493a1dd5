package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.AddressRangeSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSelectorNarrowingTest {
    private static AddressRangeSelector ts(String cidr) {
        return AddressRangeSelector.of(Subnet.parse(cidr));
    }

    @Test
    void narrowsAWideProposalToTheConfiguredSubnet() {
        List<AddressRangeSelector> out = TrafficSelectorNarrowing.narrow(List.of(ts("10.1.0.0/16")),
                List.of(Subnet.parse("10.1.0.0/24")));
        assertThat(out).containsExactly(ts("10.1.0.0/24"));
    }

    @Test
    void keepsANarrowerProposalAsItIs() {
        assertThat(TrafficSelectorNarrowing.narrow(List.of(ts("10.1.0.128/25")), List.of(Subnet.parse("10.1.0.0/24"))))
                .containsExactly(ts("10.1.0.128/25"));
    }

    @Test
    void disjointOrOtherFamilyGivesNothing() {
        assertThat(TrafficSelectorNarrowing.narrow(List.of(ts("10.9.0.0/24")), List.of(Subnet.parse("10.1.0.0/24")))).isEmpty();
        assertThat(TrafficSelectorNarrowing.narrow(List.of(ts("2001:db8::/64")), List.of(Subnet.parse("10.1.0.0/24")))).isEmpty();
    }

    @Test
    void protocolsAndPortsIntersect() {
        AddressRangeSelector tcp443 = AddressRangeSelector.of(Subnet.parse("10.1.0.0/24[tcp/443]"));
        assertThat(TrafficSelectorNarrowing.intersect(ts("10.0.0.0/8"), tcp443)).contains(tcp443);
        AddressRangeSelector udp = AddressRangeSelector.of(Subnet.parse("10.1.0.0/24[udp]"));
        assertThat(TrafficSelectorNarrowing.intersect(udp, tcp443)).isEmpty();
    }

    @Test
    void withinAcceptsOnlySubsetsOfWhatWasProposed() {
        assertThat(TrafficSelectorNarrowing.within(List.of(ts("10.1.0.0/24")), List.of(ts("10.1.0.0/16")))).isTrue();
        assertThat(TrafficSelectorNarrowing.within(List.of(ts("10.0.0.0/8")), List.of(ts("10.1.0.0/16")))).isFalse();
        assertThat(TrafficSelectorNarrowing.within(List.of(), List.of(ts("10.1.0.0/16")))).isFalse();
    }
}
