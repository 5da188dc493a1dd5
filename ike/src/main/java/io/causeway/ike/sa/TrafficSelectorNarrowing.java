package io.causeway.ike.sa;

import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.TrafficSelector;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Traffic selector narrowing (RFC 7296 2.9): the responder keeps the parts of what was proposed that its
 * own configuration also covers; the initiator accepts only answers inside what it proposed.
 */
final class TrafficSelectorNarrowing {
    private TrafficSelectorNarrowing() {
    }

    static List<AddressRangeSelector> selectorsOf(List<Subnet> subnets) {
        return subnets.stream().map(AddressRangeSelector::of).toList();
    }

    static TrafficSelectorPayload payload(boolean initiator, List<AddressRangeSelector> selectors) {
        return new TrafficSelectorPayload(initiator, new ArrayList<TrafficSelector>(selectors));
    }

    /** Every non-empty intersection of a proposed selector with a configured one, without duplicates. */
    static List<AddressRangeSelector> narrow(List<AddressRangeSelector> proposed, List<Subnet> configured) {
        List<AddressRangeSelector> out = new ArrayList<>();
        for (AddressRangeSelector mine : selectorsOf(configured)) {
            for (AddressRangeSelector theirs : proposed) {
                intersect(theirs, mine).filter(s -> !out.contains(s)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Whether every chosen selector lies inside one of the proposed ones. */
    static boolean within(List<AddressRangeSelector> chosen, List<AddressRangeSelector> proposed) {
        return !chosen.isEmpty() && chosen.stream().allMatch(c -> proposed.stream()
                .anyMatch(p -> intersect(c, p).map(c::equals).orElse(false)));
    }

    static Optional<AddressRangeSelector> intersect(AddressRangeSelector a, AddressRangeSelector b) {
        if (a.isIpv4() != b.isIpv4()) {
            return Optional.empty();
        }
        int protocol;
        if (a.ipProtocolId() == AddressRangeSelector.ANY_PROTOCOL) {
            protocol = b.ipProtocolId();
        } else if (b.ipProtocolId() == AddressRangeSelector.ANY_PROTOCOL || a.ipProtocolId() == b.ipProtocolId()) {
            protocol = a.ipProtocolId();
        } else {
            return Optional.empty();
        }
        int startPort = Math.max(a.startPort(), b.startPort());
        int endPort = Math.min(a.endPort(), b.endPort());
        byte[] start = max(a.startAddress(), b.startAddress());
        byte[] end = min(a.endAddress(), b.endAddress());
        AddressRangeSelector s = new AddressRangeSelector(protocol, Math.min(startPort, 65535), endPort, start, end);
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static byte[] max(byte[] x, byte[] y) {
        return new BigInteger(1, x).compareTo(new BigInteger(1, y)) >= 0 ? x : y;
    }

    private static byte[] min(byte[] x, byte[] y) {
        return new BigInteger(1, x).compareTo(new BigInteger(1, y)) <= 0 ? x : y;
    }

    /** As conf subnets for the data plane; ranges that are not one prefix become several. */
    static List<Subnet> toSubnets(List<AddressRangeSelector> selectors) {
        List<Subnet> out = new ArrayList<>();
        selectors.forEach(s -> out.addAll(s.toPrefixes()));
        return out;
    }
}
