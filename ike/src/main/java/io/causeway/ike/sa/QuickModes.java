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

    /** A quick mode completed: the SA pair is installed, the one it replaces deleted, the connection CONNECTED. */
    void installed(Connection c, ChildSaInstall sa, ChildSaBook.Entry replaces, boolean weInitiated, long now) {
        ChildSaBook.Entry e = s.children.install(sa, c);
        e.armLifetime(c, now, s::fuzz);
        if (replaces != null && s.children.contains(replaces)) {
            rekeying.remove(replaces);
            if (weInitiated) {
                s.informational.deleteChild(replaces);
            }
            s.children.uninstall(replaces);
            s.children.forget(replaces);
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

    /** As responder: the live SA of that connection and pair a new quick mode replaces (the peer's rekey), or null. */
    ChildSaBook.Entry replacedBy(Connection c, Subnet local, Subnet remote) {
        for (ChildSaBook.Entry e : s.children.live()) {
            if (e.sa.connection().equals(c.name()) && e.sa.localSelectors().equals(List.of(local))
                    && e.sa.remoteSelectors().equals(List.of(remote))) {
                return e;
            }
        }
        return null;
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
                s.children.uninstall(e);
                s.children.forget(e);
                rekeying.remove(e);
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
        s.children.uninstall(e);
        s.children.forget(e);
        rekeying.remove(e);
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
