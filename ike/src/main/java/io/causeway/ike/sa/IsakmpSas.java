package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.IkeGroup;
import io.causeway.esp.LimitKind;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v1.message.FragmentPayload1;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.V1FragmentReassembler;
import io.causeway.ike.v1.message.V1Message;
import io.causeway.ike.v1.message.V1PayloadType;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1ParseException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The engine's IKEv1 side: ISAKMP SAs by our cookie, responders for new main and aggressive mode requests (a repeated
 * first message finds its SA by the peer's address and cookie), routing of datagrams and timers, keying tries and
 * restarts, and re-authentication (a new ISAKMP SA takes over the IPsec SAs of the old one). {@link IkeEngine} hands it
 * every datagram whose header says major version 1 and every IKEv1 connection.
 */
final class IsakmpSas {
    private final EngineContext ctx;
    private final Map<Long, IsakmpSession> sessions = new HashMap<>();
    /** sessions gained or lost an entry since {@link #takeSaSetChanged}. */
    private boolean saSetChanged;
    private final Map<String, IsakmpSession> halfOpen = new HashMap<>();
    /** Failed initiated attempts of a round of keying tries, by connection name. */
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<TimerKey, IsakmpSession> retries = new LinkedHashMap<>();
    private final Map<IsakmpSession, Boolean> initiatedByUs = new IdentityHashMap<>();
    private final Function<InetSocketAddress[], List<Connection>> candidates;
    private Duration retryInterval = IkeEngine.DEFAULT_KEYING_RETRY_INTERVAL;
    /** First messages arriving as fragments, by peer address and initiator cookie. */
    private final Map<String, FirstMessage> firstMessages = new LinkedHashMap<>();
    /** One first message being reassembled, since its first fragment arrived. */
    private record FirstMessage(V1FragmentReassembler fragments, long startedAt) {
    }
    static final int MAX_FIRST_MESSAGE_REASSEMBLIES = 32;
    /** strongSwan's charon.block_threshold: half-open SAs one peer address may have. */
    static final int MAX_HALF_OPEN_PER_PEER = 5;
    /** Half-open IKEv1 responder SAs in all. */
    static final int MAX_HALF_OPEN = 1024;

    IsakmpSas(EngineContext ctx, Function<InetSocketAddress[], List<Connection>> candidates) {
        this.ctx = ctx;
        this.candidates = candidates;
    }

    void retryInterval(Duration interval) {
        this.retryInterval = interval;
    }

    Collection<IsakmpSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Whether an ISAKMP SA was added or forgotten since the last call. */
    boolean takeSaSetChanged() {
        boolean changed = saSetChanged;
        saSetChanged = false;
        return changed;
    }

    /** Our cookie of every ISAKMP SA held (CKY-I where we initiated, CKY-R where we answered). */
    java.util.Set<Long> ourCookies() {
        return sessions.keySet();
    }

    boolean owns(TimerKey key) {
        return sessions.containsKey(key.localSpi()) || retries.containsKey(key);
    }

    /** Starts phase 1 for an IKEv1 connection, or a quick mode on an ISAKMP SA it can share. */
    IsakmpSession initiate(Connection c, InetSocketAddress local, InetSocketAddress remote, long now) {
        cancelRetry(c.name());
        for (IsakmpSession s : sessions.values()) {
            if (!s.closed() && !s.superseded && s.initiator && IkeGroup.shared(s.connection(), c)
                    && s.remoteAddress().getAddress().equals(remote.getAddress()) && !s.carries(c.name())) {
                if (s.established()) {
                    s.quick.want(c, now);
                } else {
                    s.riders.add(c);
                }
                return s;
            }
        }
        attempts.put(c.name(), 1);
        return start(c, local, remote, null, now);
    }

    private IsakmpSession start(Connection c, InetSocketAddress local, InetSocketAddress remote, IsakmpSession predecessor,
                                long now) {
        long cookie;
        do {
            cookie = ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong();
        } while (cookie == 0 || sessions.containsKey(cookie));
        IsakmpSession s = IsakmpSession.initiator(ctx, c, cookie, new InetSocketAddress(local.getAddress(), 500),
                new InetSocketAddress(remote.getAddress(), 500));
        s.otherSaWithPeer = this::otherSaWithPeer;
        s.predecessor = predecessor;
        if (predecessor != null) {
            s.riders.addAll(predecessor.riders);
        }
        int tries = c.keyingTries();
        s.reportFailure = tries <= 0 || attempts.getOrDefault(c.name(), 1) >= tries;
        sessions.put(cookie, s);
        saSetChanged = true;
        initiatedByUs.put(s, true);
        s.start(now);
        return s;
    }

    void receive(byte[] datagram, IkeDatagram d, long now) {
        IsakmpHeader h;
        try {
            h = IsakmpHeader.decode(datagram);
        } catch (V1ParseException | RuntimeException e) {
            ctx.drops().drop();
            return;
        }
        IsakmpSession s = find(h);
        if (s != null) {
            s.receive(datagram, h, d, now);
            return;
        }
        if (h.nextPayload() == V1PayloadType.FRAGMENT && h.responderCookie() == 0) {
            firstMessageFragment(datagram, h, d, now);
            return;
        }
        boolean phase1 = h.exchangeType() == V1ExchangeType.IDENTITY_PROTECTION
                || h.exchangeType() == V1ExchangeType.AGGRESSIVE;
        if (h.responderCookie() != 0 || !phase1 || h.messageId() != 0 || h.initiatorCookie() == 0) {
            ctx.drops().drop();
            return;
        }
        String key = d.remote() + "/" + Long.toHexString(h.initiatorCookie());
        IsakmpSession known = halfOpen.get(key);
        if (known != null) {
            known.receive(datagram, h, d, now);
            return;
        }
        List<Connection> allowed = candidates.apply(new InetSocketAddress[] {d.local(), d.remote()});
        if (allowed.isEmpty() || !admitHalfOpen(d)) {
            ctx.drops().drop();
            return;
        }
        long cookieR;
        do {
            cookieR = ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong();
        } while (cookieR == 0 || sessions.containsKey(cookieR));
        IsakmpSession r = IsakmpSession.responder(ctx, allowed, h.initiatorCookie(), cookieR,
                h.exchangeType() == V1ExchangeType.AGGRESSIVE, d.local(), d.remote());
        r.otherSaWithPeer = this::otherSaWithPeer;
        r.receive(datagram, h, d, now);
        if (!r.closed()) {
            sessions.put(cookieR, r);
            saSetChanged = true;
            halfOpen.put(key, r);
        }
    }

    /**
     * A fragment of a first message (fragmentation=force at the peer): reassembled before any SA exists, at most
     * {@link #MAX_FIRST_MESSAGE_REASSEMBLIES} at once (the oldest is dropped) and for at most the reassembly timeout
     * (30 s), so fragments cannot pile up state.
     */
    private void firstMessageFragment(byte[] datagram, IsakmpHeader h, IkeDatagram d, long now) {
        String key = d.remote() + "/" + Long.toHexString(h.initiatorCookie());
        // oldest first: whatever is older than the reassembly timeout is given up, the initiator retransmits it all
        for (var it = firstMessages.values().iterator(); it.hasNext(); ) {
            if (now - it.next().startedAt() <= FragmentInbox.REASSEMBLY_TIMEOUT_MILLIS) {
                break;
            }
            it.remove();
        }
        FirstMessage pending = firstMessages.get(key);
        if (pending == null) {
            while (firstMessages.size() >= MAX_FIRST_MESSAGE_REASSEMBLIES) {
                firstMessages.remove(firstMessages.keySet().iterator().next());
            }
            pending = new FirstMessage(new V1FragmentReassembler(), now);
            firstMessages.put(key, pending);
        }
        V1FragmentReassembler r = pending.fragments();
        try {
            FragmentPayload1 f = V1Message.decodePlain(datagram).first(FragmentPayload1.class).orElse(null);
            if (f != null && r.offer(f) instanceof V1FragmentReassembler.Complete c) {
                firstMessages.remove(key);
                byte[] whole = c.datagram();
                IsakmpHeader inner = IsakmpHeader.decode(whole);
                if (inner.nextPayload() != V1PayloadType.FRAGMENT && inner.initiatorCookie() == h.initiatorCookie()) {
                    receive(whole, d, now);
                    return;
                }
            }
            if (f == null) {
                ctx.drops().drop();
            }
        } catch (V1ParseException | RuntimeException e) {
            ctx.drops().drop();
        }
    }

    /** The SA a message belongs to: by our cookie, which is the initiator's when we initiated. */
    private IsakmpSession find(IsakmpHeader h) {
        IsakmpSession ours = sessions.get(h.initiatorCookie());
        if (ours != null && ours.initiator && (ours.cookieR == 0 || ours.cookieR == h.responderCookie()
                || h.responderCookie() == 0)) {
            return ours;
        }
        IsakmpSession theirs = h.responderCookie() == 0 ? null : sessions.get(h.responderCookie());
        if (theirs != null && !theirs.initiator && theirs.cookieI == h.initiatorCookie()) {
            return theirs;
        }
        return null;
    }

    /**
     * IKEv1 has no cookies to keep a responder stateless, so half-open ISAKMP SAs (those that answered a first message
     * and wait for the rest of phase 1, at most the half-open timeout) are bounded instead: per peer address as
     * strongSwan's block_threshold (5), and in all ({@link #MAX_HALF_OPEN}); a first message beyond either is dropped.
     */
    private boolean admitHalfOpen(IkeDatagram d) {
        int fromPeer = 0;
        int all = 0;
        for (IsakmpSession s : halfOpen.values()) {
            if (s.halfOpen()) {
                all++;
                if (s.remoteAddress().getAddress().equals(d.remote().getAddress())) {
                    fromPeer++;
                }
            }
        }
        return fromPeer < MAX_HALF_OPEN_PER_PEER && all < MAX_HALF_OPEN;
    }

    /** First messages being reassembled now, at most {@link #MAX_FIRST_MESSAGE_REASSEMBLIES}. */
    int firstMessageReassemblies() {
        return firstMessages.size();
    }

    int halfOpenCount() {
        return (int) halfOpen.values().stream().filter(IsakmpSession::halfOpen).count();
    }

    void timerFired(TimerKey key, long now) {
        IsakmpSession failed = retries.remove(key);
        if (failed != null) {
            attempts.put(failed.connection().name(), 1);
            start(failed.connection(), failed.localAddress(), failed.remoteAddress(), null, now);
            return;
        }
        IsakmpSession s = sessions.get(key.localSpi());
        if (s != null) {
            s.timerFired(key, now);
        }
    }

    boolean close(String name, long now) {
        boolean any = cancelRetry(name);
        for (IsakmpSession s : List.copyOf(sessions.values())) {
            if (s.closed() || !s.carries(name)) {
                continue;
            }
            any = true;
            if (s.carriesOtherThan(name)) {
                s.closeOne(name, now);
            } else {
                s.closeLocally(now, true);
            }
        }
        return any;
    }

    void closeAll(long now) {
        for (TimerKey k : List.copyOf(retries.keySet())) {
            ctx.actions().cancelTimer(k);
            ctx.actions().stateChanged(retries.get(k).connection().name(), TunnelState.DOWN, null);
        }
        retries.clear();
        for (IsakmpSession s : List.copyOf(sessions.values())) {
            s.closeLocally(now, true);
        }
    }

    /**
     * A byte, packet or sequence number limit of the IPsec SA pair with that inbound SPI, as
     * {@link IkeEngine#volumeLimitReached}: the soft one starts a quick mode for it, the hard one deletes it; false if
     * no ISAKMP SA has it.
     */
    boolean volumeLimitReached(int inboundSpi, LimitKind kind, long now) {
        for (IsakmpSession s : sessions.values()) {
            ChildSaBook.Entry e = s.children.byInboundSpi(inboundSpi);
            if (e == null) {
                continue;
            }
            switch (e.volumeStep(kind, e.connection != null && e.connection.rekey())) {
                case EXPIRE -> e.expireAt = now;
                case REKEY -> e.rekeyAt = now;
                case NONE -> {
                    return true;
                }
            }
            s.quick.expireDue(now);
            s.quick.rekeyDue(now);
            return true;
        }
        return false;
    }

    private boolean cancelRetry(String name) {
        boolean any = false;
        for (var it = retries.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().connection().name().equals(name)) {
                ctx.actions().cancelTimer(e.getKey());
                it.remove();
                any = true;
            }
        }
        return any;
    }

    boolean otherSaWithPeer(IsakmpSession s) {
        for (IsakmpSession o : sessions.values()) {
            if (o != s && !o.closed() && o.established()
                    && o.remoteAddress().getAddress().equals(s.remoteAddress().getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** Re-authentications, INITIAL-CONTACT and replaced SAs, then forgets finished SAs and retries failed attempts. */
    void housekeeping(long now) {
        for (IsakmpSession s : List.copyOf(sessions.values())) {
            if (s.reauthWanted && !s.closed()) {
                s.reauthWanted = false;
                start(s.connection(), s.localAddress(), s.remoteAddress(), s, now);
            }
            if (s.freshlyEstablished) {
                s.freshlyEstablished = false;
                replaceOlder(s, now);
            }
        }
        List<IsakmpSession> done = sessions.values().stream().filter(IsakmpSession::closed).toList();
        saSetChanged |= sessions.values().removeIf(IsakmpSession::closed);
        halfOpen.values().removeIf(x -> x.closed() || !x.halfOpen());
        for (IsakmpSession s : done) {
            ended(s, now);
        }
    }

    /**
     * A peer that re-authenticated, or sent INITIAL-CONTACT: older ISAKMP SAs of the same connection and peer identity
     * hand their IPsec SAs to the new one (strongSwan's IKEv1 reauthentication does this too), or with INITIAL-CONTACT
     * are forgotten with theirs.
     */
    private void replaceOlder(IsakmpSession fresh, long now) {
        for (IsakmpSession old : List.copyOf(sessions.values())) {
            if (old == fresh || old.closed() || !old.established() || old.superseded
                    || !old.connection().name().equals(fresh.connection().name())
                    || old.authenticatedPeer == null || fresh.authenticatedPeer == null
                    || !old.authenticatedPeer.sameAs(fresh.authenticatedPeer)) {
                continue;
            }
            if (fresh.initialContact) {
                for (ChildSaBook.Entry e : old.children.all()) {
                    old.children.uninstall(e);
                }
                old.superseded = true;
                old.close();
            } else if (!fresh.initiator) {
                fresh.adopt(old, now);
            }
        }
        fresh.initialContact = false;
    }

    private void ended(IsakmpSession s, long now) {
        boolean ours = initiatedByUs.remove(s) != null;
        if (s.superseded || s.closedLocally) {
            return;
        }
        Connection c = s.connection();
        InetSocketAddress local = new InetSocketAddress(s.localAddress().getAddress(), 500);
        InetSocketAddress remote = new InetSocketAddress(s.remoteAddress().getAddress(), 500);
        if (s.restartWanted) {
            attempts.put(c.name(), 1);
            start(c, local, remote, null, now);
            return;
        }
        if (ours && s.attemptFailed) {
            int attempt = attempts.getOrDefault(c.name(), 1);
            if (c.keyingTries() > 0 && attempt < c.keyingTries()) {
                attempts.put(c.name(), attempt + 1);
                start(c, local, remote, null, now);
            } else {
                TimerKey key = new TimerKey(s.localCookie(), TimerKey.Kind.KEYING_RETRY);
                retries.put(key, s);
                ctx.actions().setTimer(key, now + retryInterval.toMillis());
            }
        }
    }
}
