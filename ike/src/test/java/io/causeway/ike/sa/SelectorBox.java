package io.causeway.ike.sa;

import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.AddressRangeSelector;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A traffic selector as the set of packets it matches, the model TrafficSelectorNarrowingFuzzTest checks narrowing
 * against (RFC 7296 2.9, 3.13.1): a family, a protocol (0 = any), and inclusive port and address intervals. Written
 * apart from TrafficSelectorNarrowing so that the two do not share a mistake.
 */
record SelectorBox(boolean ipv4, int protocol, int fromPort, int toPort, BigInteger fromAddress, BigInteger toAddress) {
    /** A packet as a selector sees it: family, protocol (never "any"), port, address. */
    record Packet(boolean ipv4, int protocol, int port, BigInteger address) {
    }

    static SelectorBox of(AddressRangeSelector s) {
        return new SelectorBox(s.isIpv4(), s.ipProtocolId(), s.startPort(), s.endPort(),
                new BigInteger(1, s.startAddress()), new BigInteger(1, s.endAddress()));
    }

    /** A configured subnet: its prefix as an address interval, computed here rather than by AddressRangeSelector. */
    static SelectorBox of(Subnet s) {
        byte[] network = s.address().getAddress();
        BigInteger from = new BigInteger(1, network);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(network.length * 8 - s.prefixLength()).subtract(BigInteger.ONE);
        return new SelectorBox(network.length == 4, s.protocol(), s.fromPort(), s.toPort(), from.andNot(hostMask),
                from.or(hostMask));
    }

    boolean isEmpty() {
        return fromPort > toPort || fromAddress.compareTo(toAddress) > 0;
    }

    /** The packets both match, or an empty box (with the protocols' conflict as an impossible port range). */
    SelectorBox intersection(SelectorBox other) {
        boolean protocolsMeet = protocol == 0 || other.protocol == 0 || protocol == other.protocol;
        if (ipv4 != other.ipv4 || !protocolsMeet) {
            return new SelectorBox(ipv4, protocol, 1, 0, fromAddress, toAddress);
        }
        return new SelectorBox(ipv4, protocol == 0 ? other.protocol : protocol, Math.max(fromPort, other.fromPort),
                Math.min(toPort, other.toPort), fromAddress.max(other.fromAddress), toAddress.min(other.toAddress));
    }

    /** Every packet of this (non-empty) box is one of other's. */
    boolean contains(SelectorBox inner) {
        return ipv4 == inner.ipv4 && (protocol == 0 || protocol == inner.protocol)
                && fromPort <= inner.fromPort && inner.toPort <= toPort
                && fromAddress.compareTo(inner.fromAddress) <= 0 && inner.toAddress.compareTo(toAddress) <= 0;
    }

    boolean matches(Packet p) {
        return ipv4 == p.ipv4 && (protocol == 0 || protocol == p.protocol) && fromPort <= p.port && p.port <= toPort
                && fromAddress.compareTo(p.address) <= 0 && p.address.compareTo(toAddress) <= 0;
    }

    /** Packets at two opposite corners of this box and just outside each of its faces, where a wrong bound shows. */
    List<Packet> probes() {
        int inside = protocol == 0 ? 6 : protocol;
        int outside = protocol == 0 ? 255 : protocol == 6 ? 17 : 6;
        BigInteger below = fromAddress.subtract(BigInteger.ONE);
        BigInteger above = toAddress.add(BigInteger.ONE);
        BigInteger top = BigInteger.ONE.shiftLeft(ipv4 ? 32 : 128).subtract(BigInteger.ONE);
        List<Packet> candidates = List.of(new Packet(ipv4, inside, fromPort, fromAddress),
                new Packet(ipv4, inside, toPort, toAddress), new Packet(ipv4, outside, fromPort, fromAddress),
                new Packet(ipv4, inside, fromPort - 1, fromAddress), new Packet(ipv4, inside, toPort + 1, toAddress),
                new Packet(ipv4, inside, fromPort, below), new Packet(ipv4, inside, toPort, above),
                new Packet(!ipv4, inside, fromPort, fromAddress));
        List<Packet> out = new ArrayList<>(candidates.size());
        for (Packet p : candidates) {
            boolean inFamily = p.address.signum() >= 0 && p.address.compareTo(top) <= 0;
            if (p.port >= 0 && p.port <= 65535 && inFamily) {
                out.add(p);
            }
        }
        return out;
    }
}
