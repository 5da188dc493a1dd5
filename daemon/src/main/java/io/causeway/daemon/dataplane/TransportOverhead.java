package io.causeway.daemon.dataplane;

import io.causeway.esp.EspOverhead;
import io.causeway.esp.EspSuite;

/**
  * The TUN MTU for a transport-mode SA. Transport mode sends the inner packet's payload under the
  * outer header the kernel writes (RFC 4303 3.1.1), so the inner IP header is not carried twice:
  * the inner packet may be one IP header larger than in tunnel mode. Outer and inner header are of
  * one family, as both carry the same two addresses.
  */
public final class TransportOverhead {
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private TransportOverhead() {}

    /**
      * Largest packet the TUN may hand over for {@code outerMtu}. Its IPv4 options or IPv6 extension
      * headers are dropped when it is sent (see {@link TransportPayload}), so a packet that has
      * them only gets smaller on the wire.
      */
    public static int maxInner(int outerMtu, EspSuite suite, boolean ipv6, boolean udpEncap) {
        return EspOverhead.maxInner(outerMtu, suite, ipv6, udpEncap) + (ipv6 ? IPV6_HEADER : IPV4_HEADER);
    }
}
