package io.causeway.daemon.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which IKE messages complete an exchange: the first response of each message id per IKE
 * SA and direction. Retransmitted responses and further IKE fragments (RFC 7383) of one response
 * share its message id and are not counted again. Control thread only.
 */
final class ExchangeCounter {
    private static final int MAX_SAS = 4096;

    private record Key(long initiatorSpi, long responderSpi, boolean sent) {}

    private final Map<Key, Integer> lastCounted = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Integer> eldest) {
            return size() > MAX_SAS;
        }
    };

    /** Whether this message completes an exchange not counted yet. */
    boolean completes(IkeHeader h, boolean sent) {
        if (!h.response()) return false;
        Key key = new Key(h.initiatorSpi(), h.responderSpi(), sent);
        Integer last = lastCounted.get(key);
        // message ids only grow on one IKE SA (RFC 7296 2.2)
        if (last != null && Integer.compareUnsigned(h.messageId(), last) <= 0) return false;
        lastCounted.put(key, h.messageId());
        return true;
    }
}
