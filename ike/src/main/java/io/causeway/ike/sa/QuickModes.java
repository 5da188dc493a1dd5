package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v1.message.IsakmpHeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * The quick modes of one ISAKMP SA and the IPsec SAs they made. IKEv1 carries one selector pair per quick mode, so a
 * connection with leftsubnet=a,b and rightsubnet=c runs one per pair, as strongSwan does; ours go one at a time
 * (the next starts when the last one ended), the peer's are answered as they come, at most
 * {@link IsakmpTransport#MAX_EXCHANGE_IVS} at once. Rekeying is a new quick mode for the same pair at the SA's soft
 * lifetime; the old SA is deleted once the new one is installed (make before break).
 */
final class QuickModes {
    /** A selector pair of a connection to negotiate, and the SA it replaces when it is a rekey. */
    record Wanted(Connection connection, Subnet local, Subnet remote, ChildSaBook.Entry replaces) {
    }

    private final IsakmpSession s;
    private final Deque<Wanted> wanted = new ArrayDeque<>();
    private QuickModeInitiator active;
    private final Map<Integer, QuickModeResponder> answering = new LinkedHashMap<>();
    private final Set<ChildSaBook.Entry> rekeying = Collections.newSetFromMap(new IdentityHashMap<>());
    /** SAs our rekeys replaced, still sending until their successor takes over at the time given (millis). */
    private final Map<ChildSaBook.Entry, Long> retiring = new IdentityHashMap<>();
    /** How long after our rekey the old SA keeps sending, so the peer has installed the new one (its message 3). */
    static final long SWITCH_AFTER_MILLIS = 1_000;

    QuickModes(IsakmpSession session) {
        this.s = session;
    }

    /** Phase 1 is done: every selector pair of the connection and of those riding on this SA. */
    void startAll(long now) {
        want(s.connection, now);
        for (Connection rider : List.copyOf(s.riders)) {
            want(rider, now);
        }
    }

    /** Quick modes for every subnet pair of c (a connection sharing this SA is remembered as a rider). */
    void want(Connection c, long now) {
        if (!c.name().equals(s.connection.name()) && s.riders.stream().noneMatch(r -> r.name().equals(c.name()))) {
            s.riders.add(c);
        }
        for (Subnet l : localSubnets(c)) {
            for (Subnet r : remoteSubnets(c)) {
                if (l.isIpv4() == r.isIpv4()) {
                    wanted.add(new Wanted(c, l, r, null));
                }
            }
        }
        startNext(now);
    }

    void startNext(long now) {
        if (active != null || !s.established() || s.transport.outstanding()) {
            return;
        }
        Wanted next = wanted.poll();
        if (next != null) {
            active = new QuickModeInitiator(s, next);
            active.start(now);
        }
    }

    void receive(byte[] datagram, IsakmpHeader h, long now) {
        if (!s.established()) {
            s.ctx.drops().drop();
            return;
        }
        if (active != null && active.messageId == h.messageId()) {
            if (active.receive(datagram, now)) {
                active = null;
                startNext(now);
            }
            return;
        }
        QuickModeResponder r = answering.get(h.messageId());
        if (r != null) {
            if (r.third(datagram, now)) {
                answering.remove(h.messageId());
            }
            return;
        }
        if (answering.size() >= IsakmpTransport.MAX_EXCHANGE_IVS) {
            answering.remove(answering.keySet().iterator().next()); // the oldest never finished
        }
        r = new QuickModeResponder(s, h.messageId());
        if (r.first(datagram, now)) {
            answering.put(h.messageId(), r);
        }
    }

    /** Our quick mode's retransmissions ran out. */
    void timedOut(long now) {
        if (active != null) {
            QuickModeInitiator a = active;
            active = null;
            rekeying.remove(a.wanted.replaces());
            a.failed("no answer to quick mode for " + a.wanted.local() + " === " + a.wanted.remote(), FailureCause.TIMEOUT);
        }
        startNext(now);
    }

    /** The peer refused our quick mode with an error notification. */
    void refused(String notifyName, FailureCause cause, long now) {
        if (active != null) {
            QuickModeInitiator a = active;
            active = null;
            rekeying.remove(a.wanted.replaces());
            a.failed("the peer refused quick mode for " + a.wanted.local() + " === " + a.wanted.remote() + ": "
                    + notifyName, cause);
            startNext(now);
        }
    }

    /**
     * A quick mode completed: the SA pair is installed and the connection CONNECTED. Make before break: in IKEv1 the
     * quick mode's responder installs last (on message 3), so after our rekey the new SA first only receives and the
     * old one keeps sending for {@link #SWITCH_AFTER_MILLIS}; then the old one is deleted and the new one sends. After
     * the peer's rekey (or when both rekeyed at once) the other SAs of the pair stop being rekeyed and stay for the
     * packets in flight until the peer deletes them or they expire.
     */
    void installed(Connection c, ChildSaInstall sa, ChildSaBook.Entry replaces, boolean weInitiated, long now) {
        boolean ourRekey = weInitiated && replaces != null && s.children.contains(replaces) && replaces.live();
        ChildSaBook.Entry e = ourRekey ? s.children.installReceivingFirst(sa, c, replaces, now, s::fuzz)
                : s.children.install(sa, c, now, s::fuzz);
        for (ChildSaBook.Entry other : s.children.live()) {
            if (other != e && samePair(other, e)) {
                s.children.replaced(other);
                rekeying.remove(other);
                if (other == replaces && ourRekey) {
                    retiring.put(other, now + SWITCH_AFTER_MILLIS);
                }
            }
        }
        armTimers();
        if (!c.name().equals(s.connection.name()) && s.riders.stream().noneMatch(r -> r.name().equals(c.name()))) {
            s.riders.add(c);
        }
        if (replaces == null || s.state != TunnelState.CONNECTED) {
            s.report(c, TunnelState.CONNECTED, null);
        }
        if (s.handshakeStartedAt != Long.MIN_VALUE && c.name().equals(s.connection.name())) {
            s.ctx.actions().handshakeCompleted(c.name(), now - s.handshakeStartedAt);
            s.handshakeStartedAt = Long.MIN_VALUE;
        }
        s.informational.armDpd(now);
    }

    private static boolean samePair(ChildSaBook.Entry a, ChildSaBook.Entry b) {
        return a.sa.connection().equals(b.sa.connection()) && a.sa.localSelectors().equals(b.sa.localSelectors())
                && a.sa.remoteSelectors().equals(b.sa.remoteSelectors());
    }

    /** CHILD_SWITCH: SAs our rekeys replaced are deleted now; their successors start sending as they go. */
    void switchDue(long now) {
        List<ChildSaBook.Entry> due = retiring.entrySet().stream().filter(r -> r.getValue() <= now)
                .map(Map.Entry::getKey).toList();
        for (ChildSaBook.Entry old : due) {
            retiring.remove(old);
            if (s.children.contains(old)) {
                s.informational.deleteChild(old);
                s.children.forget(old);
            }
        }
        armTimers();
    }

    /** CHILD_REKEY: every live SA past its soft lifetime gets a new quick mode for its pair (rekey=yes only). */
    void rekeyDue(long now) {
        for (ChildSaBook.Entry e : s.children.live()) {
            if (e.rekeyAt <= now && !rekeying.contains(e) && e.connection != null) {
                rekeying.add(e);
                e.rekeyAt = ChildSaBook.NEVER;
                wanted.add(new Wanted(e.connection, e.sa.localSelectors().get(0), e.sa.remoteSelectors().get(0), e));
            }
        }
        armTimers();
        startNext(now);
    }

    /** CHILD_EXPIRE: SAs at their hard lifetime are deleted; a connection left without one is DOWN. */
    void expireDue(long now) {
        List<String> lost = new ArrayList<>();
        for (ChildSaBook.Entry e : s.children.all()) {
            if (e.expireAt <= now) {
                s.informational.deleteChild(e);
                s.children.forget(e);
                rekeying.remove(e);
                retiring.remove(e);
                lost.add(e.sa.connection());
            }
        }
        armTimers();
        for (String name : lost) {
            if (!s.children.hasLive(name)) {
                connectionDown(name, "the IPsec SA expired without being rekeyed", DownCause.OTHER);
            }
        }
    }

    /** The peer deleted the IPsec SAs of a connection (its outbound SPI is ours inbound... by our outbound SPI). */
    void peerDeleted(int outboundSpi) {
        ChildSaBook.Entry e = s.children.byOutboundSpi(outboundSpi);
        if (e == null) {
            return;
        }
        s.children.forget(e);
        rekeying.remove(e);
        retiring.remove(e);
        armTimers();
        if (!s.children.hasLive(e.sa.connection())) {
            connectionDown(e.sa.connection(), "the peer deleted the IPsec SA", DownCause.PEER_DELETED);
        }
    }

    private void connectionDown(String name, String why, DownCause cause) {
        if (name.equals(s.connection.name())) {
            s.state = TunnelState.DOWN;
            s.lastError = why;
        }
        s.ctx.actions().stateChanged(name, TunnelState.DOWN, why, cause);
    }

    /** A connection closed locally: its pending quick modes are dropped. */
    void forget(String name) {
        wanted.removeIf(w -> w.connection().name().equals(name));
    }

    /** A CHILD_CREATE timer: pending quick modes go out now, if the window is free. */
    void startWanted(long now) {
        startNext(now);
    }

    void armTimers() {
        long rekey = ChildSaBook.NEVER;
        long expire = ChildSaBook.NEVER;
        for (ChildSaBook.Entry e : s.children.all()) {
            if (e.live() && !rekeying.contains(e)) {
                rekey = Math.min(rekey, e.rekeyAt);
            }
            expire = Math.min(expire, e.expireAt);
        }
        arm(TimerKey.Kind.CHILD_REKEY, rekey);
        arm(TimerKey.Kind.CHILD_EXPIRE, expire);
        arm(TimerKey.Kind.CHILD_SWITCH, retiring.values().stream().mapToLong(Long::longValue).min()
                .orElse(ChildSaBook.NEVER));
    }

    private void arm(TimerKey.Kind kind, long at) {
        if (at == ChildSaBook.NEVER) {
            s.ctx.actions().cancelTimer(s.timer(kind));
        } else {
            s.ctx.actions().setTimer(s.timer(kind), at);
        }
    }

    List<Subnet> localSubnets(Connection c) {
        return c.left().subnets().isEmpty() ? List.of(Subnet.host(s.local.getAddress())) : c.left().subnets();
    }

    List<Subnet> remoteSubnets(Connection c) {
        return c.right().subnets().isEmpty() ? List.of(Subnet.host(s.remote.getAddress())) : c.right().subnets();
    }
}
