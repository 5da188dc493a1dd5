package io.causeway.esp.policy;

import io.causeway.esp.OutboundSa;

/** One (local, remote) selector pair of an outbound SA: a row of the SPD. Both selectors are of one family. */
record SpdEntry(TrafficSelector local, TrafficSelector remote, OutboundSa sa) {
    boolean matchesV4(int src, int dst, int proto, int srcPort, int dstPort) {
        return local.matchesV4(src, proto, srcPort) && remote.matchesV4(dst, proto, dstPort);
    }

    boolean matchesV6(long srcHi, long srcLo, long dstHi, long dstLo, int proto, int srcPort, int dstPort) {
        return local.matchesV6(srcHi, srcLo, proto, srcPort) && remote.matchesV6(dstHi, dstLo, proto, dstPort);
    }

    /** The rest of the match once the addresses are known to be covered, as in a {@link SelectorIndex} bucket. */
    boolean matchesProtocolAndPorts(int proto, int srcPort, int dstPort) {
        return local.matchesProtoPort(proto, srcPort) && remote.matchesProtoPort(proto, dstPort);
    }
}
