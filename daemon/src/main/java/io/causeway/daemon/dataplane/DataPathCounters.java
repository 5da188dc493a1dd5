package io.causeway.daemon.dataplane;

import io.causeway.esp.DropReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
  * Packets the data path handled outside any SA's own counters: drops by reason and the
  * non-ESP traffic it saw. Written by every worker, read by status; LongAdder keeps the
  * workers from contending on one cache line.
  */
public final class DataPathCounters {
    final LongAdder noPolicy = new LongAdder(); // outbound packet matched no selector
    final LongAdder noSa = new LongAdder(); // inbound SPI unknown
    final LongAdder malformed = new LongAdder();
    final LongAdder replay = new LongAdder();
    final LongAdder authFailed = new LongAdder();
    final LongAdder badPadding = new LongAdder();
    final LongAdder selector = new LongAdder();
    final LongAdder dummy = new LongAdder();
    final LongAdder hardLimit = new LongAdder();
    final LongAdder tooBig = new LongAdder(); // answered with ICMP fragmentation needed / too big
    final LongAdder fragment = new LongAdder(); // a fragment read for a transport-mode SA (RFC 4301 4.1)
    final LongAdder sendFailed = new LongAdder();
    // An ICMP error for a datagram sent earlier, reported by a socket's receive and skipped: the reader goes on.
    final LongAdder socketError = new LongAdder();
    final LongAdder keepalives = new LongAdder();
    final LongAdder ikeDatagrams = new LongAdder();
    final LongAdder internalError = new LongAdder(); // a bug cost a packet; see the debug log
    // What the offloads did (not drops): super-packets read from the TUN and the packets cut from them, sends that
    // carried several datagrams (UDP GSO), and opened TCP segments written to the TUN as part of a larger one (GRO).
    final LongAdder superPackets = new LongAdder();
    final LongAdder splitPackets = new LongAdder();
    final LongAdder gsoSends = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    // Raw ESP has no GSO/GRO: sendmmsg calls that carried several datagrams, recvmmsg calls that returned several.
    final LongAdder rawBatchSends = new LongAdder();
    final LongAdder rawBatchReceives = new LongAdder();

    /** An inbound packet its SA dropped, under the reason it gave. */
    void countInboundDrop(DropReason reason) {
        switch (reason) {
            case REPLAY -> replay.increment();
            case AUTH_FAILED -> authFailed.increment();
            case BAD_PADDING -> badPadding.increment();
            case SELECTOR -> selector.increment();
            case DUMMY -> dummy.increment();
            case HARD_LIMIT -> hardLimit.increment();
            case NO_SA -> noSa.increment();
            default -> malformed.increment();
        }
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("no_policy", noPolicy.sum());
        m.put("no_sa", noSa.sum());
        m.put("malformed", malformed.sum());
        m.put("replay", replay.sum());
        m.put("auth_failed", authFailed.sum());
        m.put("bad_padding", badPadding.sum());
        m.put("selector", selector.sum());
        m.put("dummy", dummy.sum());
        m.put("hard_limit", hardLimit.sum());
        m.put("too_big", tooBig.sum());
        m.put("fragment", fragment.sum());
        m.put("send_failed", sendFailed.sum());
        m.put("socket_error", socketError.sum());
        m.put("internal_error", internalError.sum());
        return m;
    }

    /** The offload counters, for status: none of them is a drop. */
    public Map<String, Object> offloadSnapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("super_packets", superPackets.sum());
        m.put("split_packets", splitPackets.sum());
        m.put("gso_sends", gsoSends.sum());
        m.put("coalesced", coalesced.sum());
        m.put("raw_batch_sends", rawBatchSends.sum());
        m.put("raw_batch_receives", rawBatchReceives.sum());
        return m;
    }

    public long replayDrops() {
        return replay.sum();
    }

    public long authFailures() {
        return authFailed.sum();
    }
}
