package io.causeway.daemon.dataplane;

import io.causeway.esp.InboundSa;
import java.util.HashMap;
import java.util.Map;

/**
  * The header rebuilders of the installed transport-mode inbound SAs, by SA. Like {@link SaTable},
  * an immutable map that the control side replaces whole; receive threads read one volatile.
  * Tunnel-mode SAs have no entry.
  */
final class TransportSas {
    private volatile Map<InboundSa, TransportInbound> bySa = Map.of();

    TransportInbound lookup(InboundSa sa) {
        return bySa.get(sa);
    }

    synchronized void put(InboundSa sa, TransportInbound inbound) {
        Map<InboundSa, TransportInbound> next = new HashMap<>(bySa);
        next.put(sa, inbound);
        bySa = Map.copyOf(next);
    }

    synchronized void remove(InboundSa sa) {
        if (!bySa.containsKey(sa)) {
            return;
        }
        Map<InboundSa, TransportInbound> next = new HashMap<>(bySa);
        next.remove(sa);
        bySa = Map.copyOf(next);
    }
}
