package io.causeway.daemon.dataplane;

import io.causeway.esp.InboundSa;
import io.causeway.esp.offload.Checksum;
import io.causeway.esp.policy.SelectorCheck;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
  * Turns the payload of an opened transport-mode ESP packet back into an IP packet for the TUN
  * (RFC 4303 3.1.1): an IP header from the peer's address to ours, with ESP's next header as its
  * protocol, written in front of the payload. One instance per inbound SA, shared by the
  * receive threads: it holds nothing that changes per packet.
  *
  * <p>Behind a NAT the sender computed its TCP, UDP or ICMPv6 checksum over addresses that are
  * not the ones rebuilt here (its own private address, or our public one). RFC 3948 3.1.2 lets
  * the receiver recompute such checksums in full instead of updating them from NAT-OA; that is
  * done for every SA that is UDP-encapsulated, the only kind a NAT can be in front of. ESP's
  * integrity check already covered the payload, so nothing the checksum could catch is lost.
  */
final class TransportInbound {
    static final int MALFORMED = -1;
    static final int SELECTOR = -2;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TTL = 64;
    private static final int MAX_IP_LENGTH = 65_535;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMPV6 = 58;

    private final byte[] peer;
    private final byte[] local;
    private final boolean ipv6;
    private final boolean fixChecksums;
    private final SelectorCheck selectors;
    /** Both addresses' share of every pseudo-header checksum, summed once. */
    private final int addressSum;

    TransportInbound(InetAddress peer, InetAddress local, boolean fixChecksums, SelectorCheck selectors) {
        if ((peer instanceof Inet6Address) != (local instanceof Inet6Address)) {
            throw new IllegalArgumentException("transport mode needs one address family: "
                    + peer.getHostAddress() + " and " + local.getHostAddress());
        }
        this.peer = peer.getAddress();
        this.local = local.getAddress();
        this.ipv6 = peer instanceof Inet6Address;
        this.fixChecksums = fixChecksums;
        this.selectors = selectors;
        this.addressSum = Checksum.sum(this.local, 0, this.local.length,
                Checksum.sum(this.peer, 0, this.peer.length, 0));
    }

    /** For an SA carrying traffic from {@code peer} to {@code local}, checked against the SA's selectors. */
    static TransportInbound of(InboundSa sa, InetAddress peer, InetAddress local, boolean udpEncapsulated) {
        return new TransportInbound(peer, local, udpEncapsulated,
                new SelectorCheck(sa.localSelectors(), sa.remoteSelectors()));
    }

    /** Bytes the rebuilt header takes in front of the payload. */
    int headerLength() {
        return ipv6 ? IPV6_HEADER : IPV4_HEADER;
    }

    /**
      * Writes the IP header at {@code payloadOff - headerLength()} (the caller leaves that room),
      * fixes the upper-layer checksum if the SA may be behind a NAT, and checks the packet against
      * the SA's selectors (RFC 4301 5.2 step 4).
      *
      * @return where the IP packet starts, or {@link #MALFORMED} / {@link #SELECTOR}
      */
    int rebuild(byte[] buf, int payloadOff, int payloadLen, int nextHeader) {
        int start = payloadOff - headerLength();
        if (start < 0 || payloadLen < 0 || payloadLen + (ipv6 ? 0 : IPV4_HEADER) > MAX_IP_LENGTH) {
            return MALFORMED;
        }
        if (ipv6) {
            writeIpv6(buf, start, payloadLen, nextHeader);
        } else {
            writeIpv4(buf, start, payloadLen, nextHeader);
        }
        if (fixChecksums && !fixChecksum(buf, payloadOff, payloadLen, nextHeader)) {
            return MALFORMED;
        }
        return selectors.allowsInbound(buf, start, headerLength() + payloadLen) ? start : SELECTOR;
    }

    private void writeIpv4(byte[] b, int at, int payloadLen, int protocol) {
        b[at] = 0x45;
        b[at + 1] = 0;
        putShort(b, at + 2, IPV4_HEADER + payloadLen);
        putShort(b, at + 4, 0); // identification: any value for an atomic datagram (RFC 6864 4.1)
        putShort(b, at + 6, 0x4000); // DF: ESP protected it whole, and whole it stays
        b[at + 8] = TTL;
        b[at + 9] = (byte) protocol;
        putShort(b, at + 10, 0);
        System.arraycopy(peer, 0, b, at + 12, 4);
        System.arraycopy(local, 0, b, at + 16, 4);
        putShort(b, at + 10, Checksum.compute(b, at, IPV4_HEADER, 0));
    }

    private void writeIpv6(byte[] b, int at, int payloadLen, int nextHeader) {
        b[at] = 0x60;
        b[at + 1] = 0;
        b[at + 2] = 0;
        b[at + 3] = 0;
        putShort(b, at + 4, payloadLen);
        b[at + 6] = (byte) nextHeader;
        b[at + 7] = TTL;
        System.arraycopy(peer, 0, b, at + 8, 16);
        System.arraycopy(local, 0, b, at + 24, 16);
    }

    /** Recomputes a pseudo-header checksum in full (RFC 3948 3.1.2); false when the header is cut short. */
    private boolean fixChecksum(byte[] b, int off, int len, int protocol) {
        int field;
        int minimum;
        if (protocol == TCP) {
            field = 16;
            minimum = 20;
        } else if (protocol == UDP) {
            field = 6;
            minimum = 8;
        } else if (protocol == ICMPV6 && ipv6) {
            field = 2;
            minimum = 4;
        } else {
            return true; // no pseudo-header (ICMP, SCTP, ...): the addresses are not in any checksum
        }
        if (len < minimum) {
            return false;
        }
        if (protocol == UDP && !ipv6 && b[off + field] == 0 && b[off + field + 1] == 0) {
            return true; // IPv4 UDP sent without a checksum (RFC 768) stays without one
        }
        b[off + field] = 0;
        b[off + field + 1] = 0;
        // RFC 793 3.1 / RFC 768 and RFC 8200 8.1: addresses, protocol and the upper-layer length
        int checksum = Checksum.compute(b, off, len, addressSum + protocol + len);
        if (checksum == 0 && protocol == UDP) {
            checksum = 0xffff; // zero means "no checksum" in UDP (RFC 768)
        }
        putShort(b, off + field, checksum);
        return true;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
