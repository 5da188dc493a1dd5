package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.v1.crypto.Phase1Keys;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1ParseException;
import io.causeway.ike.v1.message.V1PayloadType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One ISAKMP SA (IKEv1 phase 1, RFC 2409) with pre-shared keys, as initiator or responder, and the IPsec SAs its
 * quick modes negotiate, kept in the same {@link ChildSaBook} as IKEv2's CHILD_SAs. The session owns the SA's state
 * (cookies, phase-1 keys, the IV chain and retransmission in {@link IsakmpTransport}, NAT, the peer's features); the
 * protocol lives in tasks: {@link MainModeTask} or {@link AggressiveModeTask} for phase 1, {@link QuickModes} for
 * phase 2 and its rekeying, {@link IsakmpInformational} for DELETE, notifications and DPD (RFC 3706). Sans-IO and
 * never throwing for network input, like {@link IkeSession}.
 */
public final class IsakmpSession implements IkeSaView {
    static final int NONCE_BYTES = 32;
    static final int NAT_T_PORT = 4500;

    /**
     * Where phase 1 stands. SA_EXCHANGED: main mode's SA messages (1-2) went out; KE_EXCHANGED: its KE and nonce
     * messages (3-4); ID_SENT: the initiator's identity message 5 waits for 6; AGGRESSIVE_SENT: aggressive message 1
     * or 2 went out.
     */
    enum Phase { NEW, SA_EXCHANGED, KE_EXCHANGED, ID_SENT, AGGRESSIVE_SENT, ESTABLISHED, CLOSED }

    final EngineContext ctx;
    final boolean initiator;
    final boolean aggressive;
    final List<Connection> candidates;
    Connection connection;
    InetSocketAddress local;
    InetSocketAddress remote;
    final long cookieI;
    long cookieR;
    Phase phase = Phase.NEW;
    TunnelState state = TunnelState.CONNECTING;
    String lastError;

    /** The initiator's SA payload body, which HASH_I and HASH_R cover (RFC 2409 5). */
    byte[] saiBody;
    /** Aggressive mode's responder: the initiator's ID body from message 1, which HASH_I in message 3 covers. */
    byte[] idiBody;
    SaPayload1 ourOffer;
    Phase1Proposals.Choice choice;
    DhKeyPair dh;
    byte[] gxi;
    byte[] gxr;
    byte[] nonceI;
    byte[] nonceR;
    Phase1Keys keys;
    final PeerFeatures peer = new PeerFeatures();
    /** A NAT changes our address or the peer's (RFC 3947 3.2), or forceencaps pretends one: IKE floats to 4500. */
    boolean nat;
    Identity authenticatedPeer;
    /** The peer sent INITIAL-CONTACT in phase 1 and the engine has not acted on it yet. */
    boolean initialContact;

    final IsakmpTransport transport;
    final ChildSaBook children;
    final QuickModes quick;
    final IsakmpInformational informational;
    /** Other connections of the same IKE group whose IPsec SAs this ISAKMP SA carries (strongSwan shares it). */
    final List<Connection> riders = new ArrayList<>();
    /** Whether the engine holds another ISAKMP SA with this one's peer: INITIAL-CONTACT is sent only without one. */
    java.util.function.Predicate<IsakmpSession> otherSaWithPeer = x -> false;

    long lastInbound = Long.MIN_VALUE;
    long handshakeStartedAt = Long.MIN_VALUE;
    long establishedAt = Long.MIN_VALUE;
    /** When this ISAKMP SA is re-authenticated (replaced by a new one, as strongSwan rekeys IKEv1); MAX_VALUE: never. */
    long reauthAt = Long.MAX_VALUE;
    boolean reportFailure = true;
    boolean attemptFailed;
    boolean restartWanted;
    boolean closedLocally;
    /** Its re-authentication is due: the engine starts a new ISAKMP SA for the same connection. */
    boolean reauthWanted;
    /** The ISAKMP SA this one re-authenticates, whose IPsec SAs move here once phase 1 is done. */
    IsakmpSession predecessor;
    /** Phase 1 just completed and the engine has not yet looked for older SAs with the same peer. */
    boolean freshlyEstablished;
    /** Replaced by a re-authentication: its IPsec SAs moved to the new ISAKMP SA; it only deletes itself. */
    boolean superseded;

    private IsakmpSession(EngineContext ctx, boolean initiator, boolean aggressive, List<Connection> candidates,
                          long cookieI, InetSocketAddress local, InetSocketAddress remote) {
        this.ctx = ctx;
        this.initiator = initiator;
        this.aggressive = aggressive;
        this.candidates = List.copyOf(candidates);
        this.connection = candidates.get(0);
        this.cookieI = cookieI;
        this.local = local;
        this.remote = remote;
        this.transport = new IsakmpTransport(this);
        this.children = new ChildSaBook(ctx.actions());
        this.quick = new QuickModes(this);
        this.informational = new IsakmpInformational(this);
    }

    static IsakmpSession initiator(EngineContext ctx, Connection c, long cookieI, InetSocketAddress local,
                                   InetSocketAddress remote) {
        return new IsakmpSession(ctx, true, c.aggressive(), List.of(c), cookieI, local, remote);
    }

    /** A responder to a first main or aggressive mode message; candidates are the connections its addresses allow. */
    static IsakmpSession responder(EngineContext ctx, List<Connection> candidates, long cookieI, long cookieR,
                                   boolean aggressive, InetSocketAddress local, InetSocketAddress remote) {
        IsakmpSession s = new IsakmpSession(ctx, false, aggressive, candidates, cookieI, local, remote);
        s.cookieR = cookieR;
        return s;
    }

    long localCookie() {
        return initiator ? cookieI : cookieR;
    }

    @Override
    public int ikeVersion() {
        return 1;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    public TunnelState state() {
        return state;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    @Override
    public boolean closed() {
        return phase == Phase.CLOSED;
    }

    @Override
    public boolean rekeyed() {
        return superseded;
    }

    @Override
    public boolean carries(String name) {
        return connection.name().equals(name) || riders.stream().anyMatch(c -> c.name().equals(name));
    }

    @Override
    public List<String> carriedConnections() {
        List<String> names = new ArrayList<>(List.of(connection.name()));
        riders.forEach(c -> names.add(c.name()));
        return names;
    }

    @Override
    public long initiatorSpi() {
        return cookieI;
    }

    @Override
    public long responderSpi() {
        return cookieR;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public Optional<Proposal> ikeProposal() {
        return Optional.ofNullable(choice).map(Phase1Proposals.Choice::proposal);
    }

    @Override
    public OptionalLong establishedAt() {
        return establishedAt == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(establishedAt);
    }

    @Override
    public OptionalLong ikeRekeyAt() {
        return reauthAt == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(reauthAt);
    }

    @Override
    public boolean natDetected() {
        return nat;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Optional<ChildSaTimes> childTimes(int inboundSpi) {
        return children.times(inboundSpi);
    }

    /** The IPsec SAs this ISAKMP SA negotiated and still holds. */
    public List<ChildSaInstall> childSas() {
        return children.live().stream().map(e -> e.sa).toList();
    }

    boolean established() {
        return phase == Phase.ESTABLISHED;
    }

    /** A responder whose phase 1 is not complete: counted against the cookie threshold, forgotten when half-open too long. */
    boolean halfOpen() {
        return !initiator && phase != Phase.ESTABLISHED && phase != Phase.CLOSED;
    }

    /** Sends the first phase-1 message of an initiator; the tunnel is CONNECTING (a rider's too). */
    void start(long now) {
        handshakeStartedAt = now;
        for (String name : predecessor == null ? carriedConnections() : List.<String>of()) {
            ctx.actions().stateChanged(name, TunnelState.CONNECTING, null); // a re-authentication keeps the tunnel up
        }
        try {
            if (aggressive) {
                new AggressiveModeTask(this).start(now);
            } else {
                new MainModeTask(this).start(now);
            }
        } catch (RuntimeException e) {
            fail(TunnelState.PHASE1_FAILED, "cannot start IKEv1 phase 1: " + e.getMessage(), FailureCause.OTHER);
        }
    }

    /** One datagram for this SA, its header already decoded. */
    void receive(byte[] datagram, IsakmpHeader h, IkeDatagram d, long now) {
        if (h.nextPayload() == V1PayloadType.FRAGMENT) {
            byte[] whole = transport.reassemble(datagram);
            if (whole == null) {
                return; // more fragments to come, or refused (counted by the reassembler's limits)
            }
            try {
                receive(whole, IsakmpHeader.decode(whole), d, now);
            } catch (V1ParseException e) {
                ctx.drops().drop();
            }
            return;
        }
        if (transport.answerRepeat(datagram)) {
            return;
        }
        switch (h.exchangeType()) {
            case V1ExchangeType.IDENTITY_PROTECTION -> {
                if (!aggressive) {
                    new MainModeTask(this).receive(datagram, h, d, now);
                } else {
                    ctx.drops().drop();
                }
            }
            case V1ExchangeType.AGGRESSIVE -> {
                if (aggressive) {
                    new AggressiveModeTask(this).receive(datagram, h, d, now);
                } else {
                    ctx.drops().drop();
                }
            }
            case V1ExchangeType.QUICK_MODE -> quick.receive(datagram, h, now);
            case V1ExchangeType.INFORMATIONAL -> informational.receive(datagram, h, now);
            default -> ctx.drops().drop();
        }
    }

    void timerFired(TimerKey key, long now) {
        switch (key.kind()) {
            case RETRANSMIT -> transport.retransmitTimer(now);
            case HALF_OPEN -> {
                if (halfOpen()) {
                    close(); // no peer we authenticated, so its connection's state stays as it is (as for IKEv2)
                }
            }
            case DPD -> informational.dpdTimer(now);
            case CHILD_REKEY -> quick.rekeyDue(now);
            case CHILD_EXPIRE -> quick.expireDue(now);
            case CHILD_CREATE -> quick.startWanted(now);
            case CHILD_SWITCH -> quick.switchDue(now);
            case IKE_REKEY -> new Reauthentication(this).due(now);
            case REKEYED_LINGER -> {
                if (superseded && established()) {
                    informational.deleteIsakmp(); // replaced by our re-authentication; the peer has the new SA
                }
                close();
            }
            default -> {
            }
        }
    }

    /** Phase 1 completed: the tunnel's quick modes start (initiator) or are awaited (responder). */
    void phase1Done(long now) {
        phase = Phase.ESTABLISHED;
        establishedAt = now;
        ctx.actions().cancelTimer(timer(TimerKey.Kind.HALF_OPEN));
        ctx.actions().exchangeCompleted(connection.name(), aggressive ? V1ExchangeType.AGGRESSIVE
                : V1ExchangeType.IDENTITY_PROTECTION, initiator);
        new Reauthentication(this).schedule(now);
        informational.armDpd(now);
        freshlyEstablished = true;
        if (predecessor != null && predecessor.established() && !predecessor.closed()) {
            IsakmpSession old = predecessor;
            predecessor = null;
            adopt(old, now, true);
        } else if (initiator) {
            quick.startAll(now);
        }
    }

    /**
     * A new ISAKMP SA with the same peer replaces old (our re-authentication, or the peer's): the IPsec SAs and the
     * connections riding on old move here, as strongSwan adopts them, and old ends without touching them.
     */
    void adopt(IsakmpSession old, long now) {
        adopt(old, now, false);
    }

    /**
     * ours: this SA is our re-authentication of old, which we delete, but only {@link #REAUTH_DELETE_AFTER_MILLIS}
     * later. The peer moves the IPsec SAs to the new ISAKMP SA once it has established it, and our last phase-1
     * message may still be in its hands: aggressive mode 3 has no answer, and strongSwan handles a DELETE arriving
     * right behind it in another thread, so the DELETE of old could take the IPsec SAs with it before they moved
     * (seed 002's router re-authenticating lost most of its pings). Until then old only lingers.
     */
    private void adopt(IsakmpSession old, long now, boolean ours) {
        old.children.moveTo(children);
        for (var c : old.riders) {
            if (!carries(c.name())) {
                riders.add(c);
            }
        }
        old.superseded = true;
        if (ours) {
            old.lingerBeforeDelete(now);
        } else {
            old.close();
        }
        quick.armTimers();
        informational.armDpd(now);
    }

    /** How long the ISAKMP SA our re-authentication replaced waits before its DELETE goes out. */
    static final long REAUTH_DELETE_AFTER_MILLIS = 1_000;

    /** Replaced by our re-authentication, its IPsec SAs moved: no timers but the one that deletes it. */
    private void lingerBeforeDelete(long now) {
        transport.abandon();
        for (TimerKey.Kind k : TimerKey.Kind.values()) {
            if (k != TimerKey.Kind.KEYING_RETRY) {
                ctx.actions().cancelTimer(timer(k));
            }
        }
        ctx.actions().setTimer(timer(TimerKey.Kind.REKEYED_LINGER), now + REAUTH_DELETE_AFTER_MILLIS);
    }

    /** Our message that expected an answer got none within the retransmission schedule. */
    void timedOut(long now) {
        if (!established()) {
            String what = phase == Phase.ID_SENT ? Phase1Exchange.PSK_MISMATCH + ": no answer to main mode message 5"
                    : "no answer from " + remote.getAddress().getHostAddress() + " to phase 1";
            fail(TunnelState.PHASE1_FAILED, what, phase == Phase.ID_SENT ? FailureCause.AUTH_FAILED : FailureCause.TIMEOUT);
            return;
        }
        quick.timedOut(now);
    }

    /** Local close: DELETEs of the IPsec SAs and of the ISAKMP SA (RFC 2408 3.15), then forgotten at once. */
    void closeLocally(long now, boolean tellPeer) {
        closedLocally = true;
        if (tellPeer && established()) {
            informational.deleteAll();
        }
        for (ChildSaBook.Entry e : children.all()) {
            children.uninstall(e);
        }
        state = TunnelState.DOWN;
        close();
    }

    /** Closes one connection of several this ISAKMP SA carries: its IPsec SAs are deleted, the SA stays. */
    void closeOne(String name, long now) {
        quick.forget(name);
        for (ChildSaBook.Entry e : children.all()) {
            if (e.sa.connection().equals(name)) {
                informational.deleteChild(e);
                children.uninstall(e);
                children.forget(e);
            }
        }
        riders.removeIf(c -> c.name().equals(name));
        if (name.equals(connection.name())) {
            state = TunnelState.DOWN;
        }
        quick.armTimers();
    }

    boolean carriesOtherThan(String name) {
        return carriedConnections().stream().anyMatch(n -> !n.equals(name));
    }

    /** Everything is gone without DELETEs sent (the peer deleted the ISAKMP SA, or it is dead). */
    void allDown(String reason, DownCause cause) {
        for (ChildSaBook.Entry e : children.all()) {
            children.uninstall(e);
        }
        for (String name : carriedConnections()) {
            ctx.actions().stateChanged(name, TunnelState.DOWN, reason, cause);
        }
        state = TunnelState.DOWN;
        lastError = reason;
        close();
    }

    void report(Connection c, TunnelState newState, String error) {
        if (c.name().equals(connection.name())) {
            state = newState;
            lastError = error;
        }
        ctx.actions().stateChanged(c.name(), newState, error);
    }

    void reportFailed(Connection c, TunnelState failed, String error, FailureCause cause) {
        if (c.name().equals(connection.name())) {
            state = failed;
            lastError = error;
        }
        ctx.actions().stateChanged(c.name(), failed, error, cause);
    }

    /** Phase 1 failed: the attempt ends; an initiator's failure counts against keyingtries. */
    void fail(TunnelState failed, String error, FailureCause cause) {
        if (phase == Phase.CLOSED) {
            return;
        }
        state = failed;
        lastError = error;
        attemptFailed = initiator;
        if (!initiator || reportFailure) {
            for (String name : carriedConnections()) {
                ctx.actions().stateChanged(name, failed, error, cause);
            }
        }
        close();
    }

    void close() {
        transport.abandon();
        for (TimerKey.Kind k : TimerKey.Kind.values()) {
            if (k != TimerKey.Kind.KEYING_RETRY) {
                ctx.actions().cancelTimer(timer(k));
            }
        }
        children.forgetAll();
        phase = Phase.CLOSED;
    }

    TimerKey timer(TimerKey.Kind kind) {
        return new TimerKey(localCookie(), kind);
    }

    Identity ourIdentity() {
        return ourIdentity(connection);
    }

    /** Our identity towards the peer as connection c gives it: leftid, or our address when leftid is %any. */
    Identity ourIdentity(Connection c) {
        return c.left().id().isAny() ? Identity.of(local.getAddress()) : c.left().id();
    }

    /** The peer's identity to look its PSK up with: rightid, or its address when rightid is %any. */
    Identity expectedPeer(Connection c) {
        return c.right().id().isAny() ? Identity.of(remote.getAddress()) : c.right().id();
    }

    /** A random value in [0, bound], for rekey fuzz. */
    long fuzz(long bound) {
        return ctx.fuzz(bound);
    }

    /** A random non-zero 32-bit value, for message ids and SPIs (RFC 2408 3.1: 0 is phase 1's message id). */
    int randomNonZero() {
        int v;
        do {
            v = ByteBuffer.wrap(ctx.random().nextBytes(4)).getInt();
        } while (v == 0 || (v >>> 8) == 0); // SPIs below 256 are reserved (RFC 4303 2.1)
        return v;
    }

    @Override
    public String toString() {
        return String.format("IsakmpSession[%s %s%s %016x_i %016x_r %s %s]", connection.name(),
                initiator ? "initiator" : "responder", aggressive ? " aggressive" : "", cookieI, cookieR, phase, state);
    }
}
