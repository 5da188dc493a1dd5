package io.causeway.daemon.metrics;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long IKE handshakes take: from the first IKE_SA_INIT request sent or received to the
 * tunnel's CONNECTED. The engine reports neither the start nor the IKE SA that connected, so the
 * start is keyed by the initiator's SPI from the clear-text header, and CONNECTED is matched to
 * the IKE_AUTH message that the same control-thread task just handled. Control thread only.
 */
final class HandshakeTimer {
    /** Half-open SAs are forgotten after 30 s; a start older than this never completes. */
    static final long MAX_AGE_MILLIS = 5 * 60_000;
    private static final int MAX_PENDING = 1024;

    private final Map<Long, Long> startedAt = new LinkedHashMap<>();
    private long authSpi;
    private boolean authSeen;

    /** Notes a message; an IKE_AUTH received is the one a CONNECTED right after belongs to. */
    void message(IkeHeader h, boolean sent, long nowMillis) {
        if (!sent) authSeen = false;
        if (h.exchangeType() == IkeHeader.IKE_SA_INIT && !h.response()) {
            forgetOld(nowMillis);
            startedAt.putIfAbsent(h.initiatorSpi(), nowMillis);
        } else if (h.exchangeType() == IkeHeader.IKE_AUTH && !sent) {
            authSpi = h.initiatorSpi();
            authSeen = true;
        }
    }

    /** Seconds since the handshake that just connected began, or -1 when CONNECTED came from anything else. */
    double connected(long nowMillis) {
        if (!authSeen) return -1;
        authSeen = false;
        Long start = startedAt.remove(authSpi);
        return start == null ? -1 : (nowMillis - start) / 1000.0;
    }

    int pending() {
        return startedAt.size();
    }

    private void forgetOld(long nowMillis) {
        Iterator<Map.Entry<Long, Long>> it = startedAt.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (nowMillis - e.getValue() <= MAX_AGE_MILLIS && startedAt.size() < MAX_PENDING) break;
            it.remove();
        }
    }
}
