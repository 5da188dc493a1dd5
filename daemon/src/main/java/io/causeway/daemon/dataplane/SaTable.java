package io.causeway.daemon.dataplane;

import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.policy.Sad;
import io.causeway.esp.policy.Spd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
  * The SAs the workers see: an immutable snapshot (SPD, SAD and where each outbound SA sends)
  * that the control thread replaces as a whole. Workers read one volatile field per packet and
  * never lock.
  */
final class SaTable {
    /**
     * {@code newestFirst} keeps the install order, because among SAs with the same selectors the
     * SPD picks the first (its sort is stable): during a make-before-break rekey the newest SA that
     * sends must carry the traffic while the older ones still accept what is in flight. An SA in
     * {@code receivingOnly} (the new SA of a rekey the peer started, which the peer may not have
     * installed yet) is in the SAD but not yet in the SPD.
     */
    private record Snapshot(Spd spd, Sad sad, List<OutboundSa> newestFirst, Set<OutboundSa> receivingOnly,
                            Map<OutboundSa, OutboundPath> paths) {}

    private volatile Snapshot current = new Snapshot(Spd.EMPTY, Sad.EMPTY, List.of(), Set.of(), Map.of());

    OutboundPath outbound(byte[] pkt, int off, int len) {
        Snapshot s = current;
        OutboundSa sa = s.spd.lookup(pkt, off, len);
        return sa == null ? null : s.paths.get(sa);
    }

    InboundSa inbound(int spi) {
        return current.sad.lookup(spi);
    }

    /**
     * Adds a CHILD_SA pair. Sending: the new outbound SA takes over from any with the same selectors at once;
     * otherwise only its inbound side works until {@link #startSending}.
     */
    synchronized void install(OutboundPath out, InboundSa in, boolean sending) {
        Snapshot s = current;
        Map<OutboundSa, OutboundPath> paths = new IdentityHashMap<>(s.paths);
        paths.put(out.sa(), out);
        List<OutboundSa> newestFirst = new ArrayList<>();
        newestFirst.add(out.sa());
        for (OutboundSa sa : s.newestFirst) if (sa != out.sa()) newestFirst.add(sa);
        Set<OutboundSa> receivingOnly = identitySet(s.receivingOnly);
        if (sending) receivingOnly.remove(out.sa());
        else receivingOnly.add(out.sa());
        publish(s.sad.with(in), newestFirst, receivingOnly, paths);
    }

    /**
     * An SA installed receiving only now sends too: it takes over from older SAs with the same selectors, not from
     * newer ones that already send. Nothing happens for an SA not installed (removed meanwhile).
     */
    synchronized void startSending(OutboundSa out) {
        Snapshot s = current;
        if (!s.receivingOnly.contains(out)) return;
        Set<OutboundSa> receivingOnly = identitySet(s.receivingOnly);
        receivingOnly.remove(out);
        publish(s.sad, s.newestFirst, receivingOnly, s.paths);
    }

    synchronized void remove(OutboundSa out, int inboundSpi) {
        publishWithout(out, current.sad.without(inboundSpi));
    }

    /** Stops sending on out; its inbound SA, if any, stays until {@link #removeInbound}. */
    synchronized void removeOutbound(OutboundSa out) {
        publishWithout(out, current.sad);
    }

    private void publishWithout(OutboundSa out, Sad sad) {
        Snapshot s = current;
        Map<OutboundSa, OutboundPath> paths = new IdentityHashMap<>(s.paths);
        paths.remove(out);
        List<OutboundSa> newestFirst = new ArrayList<>(s.newestFirst);
        newestFirst.remove(out);
        Set<OutboundSa> receivingOnly = identitySet(s.receivingOnly);
        receivingOnly.remove(out);
        publish(sad, newestFirst, receivingOnly, paths);
    }

    /** Removes this inbound SA, and nothing when its SPI now names another one. */
    synchronized void removeInbound(InboundSa in) {
        Snapshot s = current;
        if (s.sad.lookup(in.spi()) != in) return;
        publish(s.sad.without(in.spi()), s.newestFirst, s.receivingOnly, s.paths);
    }

    private void publish(Sad sad, List<OutboundSa> newestFirst, Set<OutboundSa> receivingOnly,
                         Map<OutboundSa, OutboundPath> paths) {
        List<OutboundSa> sending = newestFirst.stream().filter(sa -> !receivingOnly.contains(sa)).toList();
        current = new Snapshot(Spd.of(sending), sad, List.copyOf(newestFirst),
                Collections.unmodifiableSet(receivingOnly), paths);
    }

    private static Set<OutboundSa> identitySet(Set<OutboundSa> from) {
        Set<OutboundSa> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(from);
        return set;
    }
}
