package io.causeway.ike.sa;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Engine-wide limits the sessions read when they need them; changed through {@link IkeEngine}'s setters. */
final class EngineSettings {
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int UDP_HEADER = 8;
    /** RFC 3948 2.2: IKE on port 4500 carries four zero octets in front of the IKE header. */
    private static final int NON_ESP_MARKER = 4;

    private int fragmentSize = IkeEngine.DEFAULT_FRAGMENT_SIZE;
    private long halfOpenTimeoutMillis = IkeEngine.DEFAULT_HALF_OPEN_TIMEOUT.toMillis();
    private UniqueIds uniqueIds = UniqueIds.YES;

    void uniqueIds(UniqueIds policy) {
        this.uniqueIds = policy;
    }

    UniqueIds uniqueIds() {
        return uniqueIds;
    }

    void fragmentSize(int ipDatagramBytes) {
        this.fragmentSize = ipDatagramBytes;
    }

    void halfOpenTimeout(Duration timeout) {
        this.halfOpenTimeoutMillis = timeout.toMillis();
    }

    long halfOpenTimeoutMillis() {
        return halfOpenTimeoutMillis;
    }

    /**
     * The longest IKE message that still fits one IP datagram of the fragment size between these addresses
     * (RFC 7383 2.5.1): less the IP header of the family, the UDP header and, on port 4500, the non-ESP marker.
     */
    int maxMessageLength(InetSocketAddress local, InetSocketAddress remote) {
        int ip = remote.getAddress() instanceof Inet6Address ? IPV6_HEADER : IPV4_HEADER;
        int marker = local.getPort() == IkeSession.NAT_T_PORT || remote.getPort() == IkeSession.NAT_T_PORT ? NON_ESP_MARKER : 0;
        return fragmentSize - ip - UDP_HEADER - marker;
    }
}
