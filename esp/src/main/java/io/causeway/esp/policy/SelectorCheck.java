package io.causeway.esp.policy;

import io.causeway.esp.packet.IpHeaders;
import java.util.List;

/**
 * Inbound policy check of a decrypted tunnel-mode packet (RFC 4301 5.2 step 4): its source must be in one of
 * the peer's selectors and its destination in one of ours. Empty lists match everything.
 */
public final class SelectorCheck {
    private final TrafficSelector[] local;
    private final TrafficSelector[] remote;

    public SelectorCheck(List<TrafficSelector> local, List<TrafficSelector> remote) {
        this.local = local.toArray(new TrafficSelector[0]);
        this.remote = remote.toArray(new TrafficSelector[0]);
    }

    /** The packet must be {@link IpHeaders#wellFormed}. */
    public boolean allowsInbound(byte[] b, int off, int len) {
        long upper = IpHeaders.upperLayer(b, off, len);
        int proto = IpHeaders.protocolOf(upper);
        int srcPort = IpHeaders.srcPort(b, off, len, upper);
        int dstPort = IpHeaders.dstPort(b, off, len, upper);
        if (IpHeaders.version(b, off) == 4) {
            return anyV4(remote, IpHeaders.v4Src(b, off), proto, srcPort)
                    && anyV4(local, IpHeaders.v4Dst(b, off), proto, dstPort);
        }
        return anyV6(remote, IpHeaders.v6SrcHi(b, off), IpHeaders.v6SrcLo(b, off), proto, srcPort)
                && anyV6(local, IpHeaders.v6DstHi(b, off), IpHeaders.v6DstLo(b, off), proto, dstPort);
    }

    private static boolean anyV4(TrafficSelector[] list, int addr, int proto, int port) {
        if (list.length == 0) {
            return true;
        }
        for (TrafficSelector ts : list) {
            if (ts.matchesV4(addr, proto, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyV6(TrafficSelector[] list, long hi, long lo, int proto, int port) {
        if (list.length == 0) {
            return true;
        }
        for (TrafficSelector ts : list) {
            if (ts.matchesV6(hi, lo, proto, port)) {
                return true;
            }
        }
        return false;
    }
}
