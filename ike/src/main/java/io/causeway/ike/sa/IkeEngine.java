package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.Endpoint;
import io.causeway.conf.connection.IkeGroup;
import io.causeway.conf.secrets.Secrets;
import io.causeway.esp.LimitKind;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v1.message.IsakmpHeader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToLongFunction;

/**
 * All IKEv2 SAs of one gateway: owns sessions by our SPI, starts initiators, creates a responder for each
 * new IKE_SA_INIT request and routes datagrams and timers. Runs on the one control thread; never throws
 * for network input.
 *
 * <p>Keying tries (strongSwan's keyingtries): a failed initiated attempt is retried, in rounds separated by the
 * keying retry interval (12 s by default); see {@link KeyingTries}.
 *
 * <p>Dead peer detection (RFC 7296 2.4): with dpdaction other than none, an SA that received no IKE message
 * and no ESP for dpddelay sends an empty INFORMATIONAL; if that exchange fails by the retransmission schedule
 * (as strongSwan does for IKEv2; dpdtimeout applies to IKEv1 only and is ignored here) the CHILD_SA is removed,
 * the tunnel goes DOWN and restart initiates the connection again. Inbound ESP is polled from the function
 * given to {@link #setInboundActivity} only when a DPD timer fires.
 *
 * <p>Byte and packet lifetimes: each installed CHILD_SA carries its soft and hard limits to the data plane
 * ({@link ChildSaInstall#limits()}), which counts every packet against them and reports a crossing once per SA and
 * kind; the daemon hands that to {@link #volumeLimitReached}. The engine never reads counters.
 *
 * <p>Denial of service (RFC 7296 2.6): a responder SA that answered IKE_SA_INIT is half-open until IKE_AUTH
 * authenticates the peer, and is forgotten after the half-open timeout (30 s, strongSwan's half_open_timeout).
 * While at least the cookie threshold of them exist (30, strongSwan's cookie_threshold), a new IKE_SA_INIT request
 * without a valid COOKIE is answered with one and creates no state ({@link ResponderCookies}).
 *
 * <p>INITIAL_CONTACT (RFC 7296 2.4): when IKE_AUTH completes in either role with the peer's INITIAL_CONTACT, every
 * other IKE SA between the same two identities is forgotten with its CHILD_SAs, without DELETEs
 * ({@link InitialContact}).
 */
public final class IkeEngine {
    /** strongSwan waits this long before another round of keying tries once all failed. */
    public static final Duration DEFAULT_KEYING_RETRY_INTERVAL = Duration.ofSeconds(12);
    /** Half-open SAs from which on IKE_SA_INIT needs a cookie: strongSwan's charon.cookie_threshold. */
    public static final int DEFAULT_COOKIE_THRESHOLD = 30;
    /** How long a responder waits for IKE_AUTH after answering IKE_SA_INIT: strongSwan's charon.half_open_timeout. */
    public static final Duration DEFAULT_HALF_OPEN_TIMEOUT = Duration.ofSeconds(30);
    /** strongSwan's charon.init_limit_half_open (0 there); see {@link #setInitLimitHalfOpen}. */
    public static final int DEFAULT_INIT_LIMIT_HALF_OPEN = HalfOpenAdmission.DEFAULT_INIT_LIMIT_HALF_OPEN;
    /** strongSwan's charon.block_threshold; see {@link #setBlockThreshold}. */
    public static final int DEFAULT_BLOCK_THRESHOLD = HalfOpenAdmission.DEFAULT_BLOCK_THRESHOLD;
    /** See {@link #setInitRatePerSource}. */
    public static final int DEFAULT_INIT_RATE_PER_SOURCE = HalfOpenAdmission.DEFAULT_INIT_RATE_PER_SOURCE;
    /** Largest IP datagram of an IKE fragment (RFC 7383): strongSwan's charon.fragment_size. */
    public static final int DEFAULT_FRAGMENT_SIZE = 1280;
    /** Smaller fragment sizes leave too little room beside IP, UDP and IKE headers, IV and ICV to be useful. */
    public static final int MIN_FRAGMENT_SIZE = 256;

    private List<Connection> connections;
    private final EngineContext ctx;
    private final Map<Long, IkeSession> sessions = new HashMap<>();
    /** Responders by peer address and initiator SPI, so a retransmitted IKE_SA_INIT finds its session (RFC 7296 2.1). */
    private final Map<String, IkeSession> halfOpen = new HashMap<>();
    private final KeyingTries keying;
    private final EngineSettings settings = new EngineSettings();
    private final ResponderCookies cookies;
    private final HalfOpenAdmission admission;
    /** The IKEv1 side: ISAKMP SAs and their quick modes, on the same context, timers and actions. */
    private final IsakmpSas isakmp;
    /** Our SPIs and cookies as the socket readers see them; republished when sessions gains or loses one. */
    private final KnownPeers knownPeers = new KnownPeers();
    private boolean saSetChanged;

    public IkeEngine(List<Connection> connections, Secrets secrets, RandomSource random, IkeActions actions) {
        this(connections, secrets, random, actions, RetransmitSchedule.STRONGSWAN);
    }

    public IkeEngine(List<Connection> connections, Secrets secrets, RandomSource random, IkeActions actions,
                     RetransmitSchedule schedule) {
        this(connections, secrets, random, actions, schedule, DEFAULT_KEYING_RETRY_INTERVAL);
    }

    /** keyingRetryInterval: how long after a round of failed keying tries the next round starts. */
    public IkeEngine(List<Connection> connections, Secrets secrets, RandomSource random, IkeActions actions,
                     RetransmitSchedule schedule, Duration keyingRetryInterval) {
        this.connections = runnable(connections);
        this.ctx = new EngineContext(new CurrentSecrets(secrets), random, actions, schedule, new EngineContext.DropCounter(),
                new EngineContext.InboundActivity(), settings, s -> InitialContact.otherSaWithPeer(s, sessions.values()),
                () -> this.connections, sessions::values);
        this.cookies = new ResponderCookies(ctx, knownPeers);
        this.admission = new HalfOpenAdmission(java.nio.ByteBuffer.wrap(random.nextBytes(8)).getLong());
        this.keying = new KeyingTries(ctx, sessions);
        this.isakmp = new IsakmpSas(ctx, a -> candidatesFor(a[0].getAddress(), a[1].getAddress(), 1));
        setKeyingRetryInterval(keyingRetryInterval);
    }

    private static List<Connection> runnable(List<Connection> connections) {
        return connections.stream().filter(c -> !c.ignored()).toList();
    }

    /**
     * A reloaded configuration: from now on initiations, keying retries and new responders use these connections and
     * secrets. SAs already established or being negotiated keep the connection they started with, so a connection
     * left out or changed should be {@link #close}d first (before this call, while its old definition is known) and,
     * if changed, initiated again afterwards. A pending keying retry round of a connection that is no longer
     * configured is cancelled.
     */
    public void replaceConnections(List<Connection> connections, Secrets secrets, long now) {
        this.connections = runnable(connections);
        ctx.secrets().replace(secrets);
        for (String name : keying.waiting()) {
            if (this.connections.stream().noneMatch(c -> c.name().equals(name))) {
                close(name, now);
            }
        }
        housekeeping(now);
    }

    /**
     * From how many half-open responder SAs on new IKE_SA_INIT requests must carry a valid COOKIE (RFC 7296 2.6);
     * default 30. 0 turns cookies off, as in strongSwan.
     */
    public void setCookieThreshold(int halfOpenSas) {
        if (halfOpenSas < 0) {
            throw new IllegalArgumentException("cookie threshold must not be negative");
        }
        cookies.threshold(halfOpenSas);
    }

    /**
     * strongSwan's charon.init_limit_half_open: from this many half-open responder SAs on, a new IKE_SA_INIT is
     * dropped even with a valid COOKIE (default {@value HalfOpenAdmission#DEFAULT_INIT_LIMIT_HALF_OPEN}; 0: no limit).
     */
    public void setInitLimitHalfOpen(int halfOpenSas) {
        admission.initLimitHalfOpen(nonNegative(halfOpenSas, "init_limit_half_open"));
    }

    /**
     * strongSwan's charon.block_threshold: half-open responder SAs one peer address may have; a new IKE_SA_INIT beyond
     * it is dropped (default {@value HalfOpenAdmission#DEFAULT_BLOCK_THRESHOLD}; 0: no limit).
     */
    public void setBlockThreshold(int halfOpenSasPerPeer) {
        admission.blockThreshold(nonNegative(halfOpenSasPerPeer, "block_threshold"));
    }

    /**
     * New IKE_SA_INIT requests per second one source address may send on average, with bursts of twice that; more
     * are dropped before they are decoded (default {@value HalfOpenAdmission#DEFAULT_INIT_RATE_PER_SOURCE}; 0: no
     * limit). Kept in fixed memory ({@link SourceRateLimiter}).
     */
    public void setInitRatePerSource(int perSecond) {
        admission.ratePerSource(nonNegative(perSecond, "IKE_SA_INIT rate per source"));
    }

    private static int nonNegative(int value, String setting) {
        if (value < 0) {
            throw new IllegalArgumentException(setting + " must not be negative");
        }
        return value;
    }

    /**
     * What the socket readers may ask from any thread: whether a datagram is for an SA of this engine or returns a
     * cookie it made, so that it can go ahead of strangers' while the control thread is behind.
     */
    public KnownPeers knownPeers() {
        return knownPeers;
    }

    /** Half-open SAs, cookies sent, refusals by reason, decrypt attempts and failures; see {@link IkeFloodCounters}. */
    public IkeFloodCounters floodCounters() {
        return new IkeFloodCounters(halfOpenCount() + isakmp.halfOpenCount(), cookies.sent, admission.rateLimited,
                admission.halfOpenLimit, admission.blocked, ctx.drops().decryptAttempts(),
                ctx.drops().integrityFailures());
    }

    /** How long a responder SA may wait for IKE_AUTH after IKE_SA_INIT (default 30 s); applies to SAs answered later. */
    public void setHalfOpenTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("half-open timeout must be positive");
        }
        settings.halfOpenTimeout(timeout);
    }

    /**
     * The largest IP datagram an IKE message may fill before it is sent as fragments (RFC 7383), IP and UDP headers
     * and the non-ESP marker included, for IPv4 and IPv6 alike; default 1280. At least {@link #MIN_FRAGMENT_SIZE}.
     */
    public void setFragmentSize(int ipDatagramBytes) {
        if (ipDatagramBytes < MIN_FRAGMENT_SIZE || ipDatagramBytes > 65535) {
            throw new IllegalArgumentException("fragment size must be between " + MIN_FRAGMENT_SIZE + " and 65535 bytes");
        }
        settings.fragmentSize(ipDatagramBytes);
    }

    /**
     * config setup's uniqueids: what a new IKE SA between the same identities does to the one already there
     * (default YES: replace it). Applies to IKE SAs established from now on.
     */
    public void setUniqueIds(UniqueIds policy) {
        settings.uniqueIds(policy);
    }

    /** How long after a round of failed keying tries the next round starts (default 12 s); applies to rounds failing later. */
    public void setKeyingRetryInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("keying retry interval must not be negative");
        }
        keying.retryInterval(interval);
        isakmp.retryInterval(interval);
    }

    /**
     * Where DPD learns about inbound ESP: a function from an inbound SPI (as in {@link ChildSaInstall#inboundSpi()})
     * to the time the last ESP packet was accepted on it, in the same millisecond clock as the {@code now} passed to
     * this engine, or {@link Long#MIN_VALUE} when none arrived or the SPI is unknown. The data path only stores a
     * timestamp per SA (one plain or volatile long write per packet, no call into the engine); the engine polls it on
     * the control thread, and only when a DPD timer fires, so it must be cheap, non-blocking and thread-safe to read.
     * Exceptions are treated as "no traffic". Null resets to "never".
     */
    public void setInboundActivity(IntToLongFunction lastInboundMillisBySpi) {
        ctx.activity().set(lastInboundMillisBySpi);
    }

    /**
     * One of the two SAs of the CHILD_SA whose inbound SPI ({@link ChildSaInstall#inboundSpi()}) this is crossed a
     * limit of its {@link ChildSaInstall#limits()}, or used up its sequence numbers; on the control thread, as the
     * data plane reported it. Either direction counts, as with strongSwan's per-SA kernel counters. A soft limit
     * (life - margin, lowered by up to rekeyfuzz% of the margin) rekeys when rekey=yes; a hard one (life) deletes the
     * CHILD_SA as its hard time lifetime would; used-up sequence numbers rekey (rekey=yes) or delete. The inbound SPI
     * names the CHILD_SA because it is ours and unique, while the peer chose the outbound one. An SPI no longer
     * installed (removed before the report arrived) changes nothing.
     */
    public void volumeLimitReached(int inboundSpi, LimitKind kind, long now) {
        try {
            boolean found = false;
            for (IkeSession s : List.copyOf(sessions.values())) {
                if (s.volumeLimitReached(inboundSpi, kind, now)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                isakmp.volumeLimitReached(inboundSpi, kind, now);
            }
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        housekeeping(now);
    }

    /**
     * Starts IKE_SA_INIT for a connection between addresses the daemon resolved (port 500 on both sides): the
     * first of a round of keying tries. Cancels a pending retry round of that connection. An IKEv1 connection starts
     * main or aggressive mode instead and null is returned.
     */
    public IkeSession initiate(String connectionName, InetSocketAddress local, InetSocketAddress remote, long now) {
        Connection c = connections.stream().filter(x -> x.name().equals(connectionName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no connection named " + connectionName));
        if (c.ikeVersion() == 1) {
            isakmp.initiate(c, local, remote, now);
            housekeeping(now);
            return null; // an ISAKMP SA: see isakmpSessions()
        }
        keying.cancel(connectionName);
        IkeSession carrier = carrierFor(c, remote);
        IkeSession session;
        if (carrier != null) {
            carrier.wantChild(c, now);
            session = carrier;
        } else {
            session = keying.start(c, local, remote, now);
            saSetChanged = true;
        }
        housekeeping(now);
        return session;
    }

    /**
     * An IKE SA with this peer that c can share (same {@link IkeGroup}, RFC 7296 1.3.1): established or being
     * negotiated by us and not on its way out. c's own IKE SA only while it lost c's CHILD_SA but carries others
     * (`down c`, then `up c`); otherwise c's own IKE SA is negotiated again, as for a single connection. Null when
     * there is none.
     */
    private IkeSession carrierFor(Connection c, InetSocketAddress remote) {
        for (IkeSession s : sessions.values()) {
            boolean live = !s.closed() && !s.rekeyed() && s.usableForChildren();
            boolean own = s.connection().name().equals(c.name());
            if (live && IkeGroup.shared(s.connection(), c) && s.remoteAddress().getAddress().equals(remote.getAddress())
                    && (!own || s.waitsForOwnChild())) {
                return s;
            }
        }
        return null;
    }

    /**
     * Closes every SA of a connection: an established IKE SA sends its DELETE (an INFORMATIONAL with a Delete
     * payload of protocol IKE, RFC 7296 1.4.1) and waits for the answer with retransmissions, its CHILD_SA is
     * removed at once; SAs being negotiated are abandoned; a pending keying retry is cancelled. Reports DOWN.
     */
    public void close(String connectionName, long now) {
        boolean reported = keying.cancel(connectionName);
        for (IkeSession s : List.copyOf(sessions.values())) {
            if (s.closed() || !s.connection().name().equals(connectionName) && !s.sharing.knows(connectionName)) {
                continue;
            }
            try {
                if (s.carriesOtherThan(connectionName)) {
                    s.closeOne(connectionName, now); // the IKE SA stays for the other connections
                } else {
                    s.closeLocally(now, true);
                }
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
        }
        try {
            isakmp.close(connectionName, now);
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        if (reported) {
            ctx.actions().stateChanged(connectionName, TunnelState.DOWN, null);
        }
        housekeeping(now);
    }

    /**
     * Shutdown: sends the DELETE of every established IKE SA once, without waiting for answers, removes all
     * CHILD_SAs, cancels every timer and forgets every SA. The daemon flushes the sends and exits.
     */
    public void closeAll(long now) {
        for (String name : keying.waiting()) {
            keying.cancel(name);
            ctx.actions().stateChanged(name, TunnelState.DOWN, null);
        }
        try {
            isakmp.closeAll(now);
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        for (IkeSession s : List.copyOf(sessions.values())) {
            try {
                s.closeLocally(now, false);
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
        }
        housekeeping(now);
    }

    /** One received IKE datagram (non-ESP marker already stripped). */
    public void receive(IkeDatagram d, long now) {
        byte[] bytes = d.bytes();
        if (IsakmpHeader.majorVersion(bytes) == 1) {
            try {
                isakmp.receive(bytes, d, now);
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
            housekeeping(now);
            return;
        }
        // the daemon sets this rate to 0: its readers' IkeIntakeScreen applies it before anything is copied
        if (newInitRequest(bytes) && !admission.withinRate(d.remote().getAddress(), now)) {
            return; // before decoding: a flooding source costs a header peek and no allocation
        }
        IkeMessage m;
        try {
            m = IkeMessage.decode(d.bytes());
        } catch (InvalidMessageException | RuntimeException e) {
            ctx.drops().drop();
            return;
        }
        try {
            route(m, d, now);
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        housekeeping(now);
    }

    private void route(IkeMessage m, IkeDatagram d, long now) {
        var h = m.header();
        if (!h.initiator()) {
            // sent by the responder of an SA we initiated: our SPI is the initiator's
            IkeSession s = sessions.get(h.initiatorSpi());
            if (s == null || !s.isInitiator()) {
                ctx.drops().drop();
            } else {
                s.receive(m, d, now);
            }
            return;
        }
        if (h.responderSpi() != 0) {
            IkeSession s = sessions.get(h.responderSpi());
            if (s == null || s.isInitiator() || s.initiatorSpi() != h.initiatorSpi()) {
                ctx.drops().drop();
            } else {
                s.receive(m, d, now);
            }
            return;
        }
        if (h.exchangeType() != ExchangeType.IKE_SA_INIT || h.response() || h.messageId() != 0) {
            ctx.drops().drop();
            return;
        }
        String key = d.remote() + "/" + Long.toHexString(h.initiatorSpi());
        IkeSession known = halfOpen.get(key);
        if (known != null) {
            known.receive(m, d, now);
            return;
        }
        List<Connection> candidates = candidatesFor(d.local().getAddress(), d.remote().getAddress(), 2);
        if (candidates.isEmpty()) {
            ctx.drops().drop();
            return;
        }
        if (!cookies.admit(m, d, halfOpenCount(), now)) {
            return;
        }
        if (!admission.admit(d.remote().getAddress(), halfOpen.values())) {
            return;
        }
        IkeSession s = IkeSession.responder(ctx, candidates, h.initiatorSpi(), d.local(), d.remote());
        s.receive(m, d, now);
        if (!s.closed() && s.responderSpi() != 0) {
            sessions.put(s.responderSpi(), s);
            halfOpen.put(key, s);
            saSetChanged = true;
        }
    }

    /** Hands the readers every SPI and ISAKMP cookie of ours, sorted for their binary search. */
    private void publishKnownSpis() {
        java.util.Set<Long> v1 = isakmp.ourCookies();
        long[] all = new long[sessions.size() + v1.size()];
        int n = 0;
        for (long spi : sessions.keySet()) {
            all[n++] = spi;
        }
        for (long cookie : v1) {
            all[n++] = cookie;
        }
        java.util.Arrays.sort(all);
        knownPeers.publish(all);
    }

    /** From the raw header (RFC 7296 3.1): an IKE_SA_INIT request without a responder SPI, the one that creates state. */
    private static boolean newInitRequest(byte[] b) {
        if (b.length < 28 || (b[18] & 0xff) != ExchangeType.IKE_SA_INIT || (b[19] & 0x28) != 0x08) {
            return false;
        }
        for (int i = 8; i < 16; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Responder SAs that answered IKE_SA_INIT and wait for IKE_AUTH. */
    int halfOpenCount() {
        int n = 0;
        for (IkeSession s : halfOpen.values()) {
            if (s.halfOpen()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Connections of that IKE version (keyexchange=ike answers both) whose left matches our address and whose right
     * matches the peer's, %any accepting any.
     */
    List<Connection> candidatesFor(InetAddress local, InetAddress remote, int ikeVersion) {
        List<Connection> out = new ArrayList<>();
        for (Connection c : connections) {
            boolean version = c.ikeVersion() == ikeVersion || c.acceptsAnyIkeVersion();
            if (version && matches(c.left(), local) && matches(c.right(), remote)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean matches(Endpoint e, InetAddress address) {
        return e.anyAddress() || e.defaultRoute() || e.hostname().isPresent()
                || e.address().map(address::equals).orElse(false);
    }

    public void timerFired(TimerKey key, long now) {
        if (key.kind() == TimerKey.Kind.KEYING_RETRY) {
            if (keying.retryFired(key, now)) {
                saSetChanged = true; // a new attempt, under an SPI of its own
                housekeeping(now);
            }
            return;
        }
        if (isakmp.owns(key)) {
            try {
                isakmp.timerFired(key, now);
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
            housekeeping(now);
            return;
        }
        IkeSession s = sessions.get(key.localSpi());
        if (s != null) {
            try {
                s.timerFired(key, now);
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
        }
        housekeeping(now);
    }

    public Optional<IkeSession> session(long localSpi) {
        return Optional.ofNullable(sessions.get(localSpi));
    }

    public Collection<IkeSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** The IKEv1 ISAKMP SAs. */
    public Collection<IsakmpSession> isakmpSessions() {
        return isakmp.sessions();
    }

    /** Every IKE SA of either version, for status. */
    public List<IkeSaView> saViews() {
        List<IkeSaView> all = new ArrayList<>(sessions.values());
        all.addAll(isakmp.sessions());
        return all;
    }

    /** Datagrams dropped: undecodable, for no known SA, unexpected, or failing the integrity check. */
    public long droppedMessages() {
        return ctx.drops().count();
    }

    /**
     * Forgets finished SAs and acts on how they ended: dpdaction/closeaction=restart initiates again, a failed
     * initiated attempt is retried or, at the end of its round, a new round is scheduled.
     */
    private void housekeeping(long now) {
        try {
            isakmp.housekeeping(now);
        } catch (RuntimeException e) {
            ctx.drops().drop();
        }
        // an IKE SA rekey (RFC 7296 2.18) replaced a session: the new one is known by its own SPI from now on
        for (IkeSession s : List.copyOf(sessions.values())) {
            for (IkeSession successor = s.takeSuccessor(); successor != null; successor = s.takeSuccessor()) {
                sessions.put(successor.localSpi(), successor);
                saSetChanged = true;
            }
        }
        UniqueIds unique = settings.uniqueIds();
        for (IkeSession s : List.copyOf(sessions.values())) {
            boolean contact = s.takeInitialContact() && unique.honoursInitialContact();
            boolean fresh = s.takeFreshlyEstablished();
            try {
                if (contact) {
                    InitialContact.honour(s, sessions.values());
                } else if (fresh && unique.replaces() && !s.isInitiator() && !s.closed()) {
                    // as strongSwan, on the responder only: two gateways that both initiate must not delete each
                    // other's SAs
                    Uniqueness.replaceDuplicates(s, sessions.values(), now);
                }
            } catch (RuntimeException e) {
                ctx.drops().drop();
            }
        }
        for (int round = 0; round < 100; round++) {
            List<IkeSession> done = sessions.values().stream().filter(IkeSession::closed).toList();
            if (done.isEmpty()) {
                break;
            }
            sessions.values().removeIf(IkeSession::closed);
            halfOpen.values().removeIf(IkeSession::closed);
            saSetChanged = true;
            for (IkeSession s : done) {
                keying.ended(s, now); // may start the next attempt under a new SPI, published below
            }
        }
        if (isakmp.takeSaSetChanged() | saSetChanged) {
            saSetChanged = false;
            publishKnownSpis();
        }
    }
}
