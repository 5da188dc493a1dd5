package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.LimitKind;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.Payload;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One IKE SA (RFC 7296), as initiator or responder, with pre-shared keys: the state of the SA itself (SPIs, keys,
 * message ids and retransmission through {@link IkeTransport}, NAT, the CHILD_SAs in a {@link ChildSaBook}, the
 * phase) and the exchange of ours in flight. The protocol lives in task classes, one per exchange or concern, that
 * read and change this state: {@link IkeInitTask}, {@link IkeAuthTask}, {@link ChildCreateTask},
 * {@link ChildRekeyTask}, {@link IkeRekeyTask} (the three initiated CREATE_CHILD_SA exchanges, with
 * {@link CreateChildSaResponder} for the peer's), {@link InformationalExchange} with {@link ChildDeleteTask},
 * {@link IkeDeleteTask} and {@link DpdTask}, and {@link ChildSaKeeper} for CHILD_SA lifetimes. Sans-IO: it reacts
 * to messages and timers and tells {@link IkeActions} what to do. Nothing thrown escapes; bad input is dropped and
 * counted, failures end in a state with a lastError.
 *
 * <p>Window size 1 (2.3): at most one request of ours is outstanding. While it is a CREATE_CHILD_SA, IKE_SA_INIT
 * or IKE_AUTH, the task that sent it is {@link #active} and gets its response; an INFORMATIONAL request needs no
 * task to remember it. Work that finds the window busy waits: timers retry a second later, DELETEs stay queued in
 * the book and a wanted CHILD_SA is remembered, both picked up by {@link #afterExchange}.
 */
public final class IkeSession implements IkeSaView {
    static final int NONCE_BYTES = 32;
    static final int NAT_T_PORT = 4500;
    /** How many COOKIE answers an initiator follows before it gives the attempt up (RFC 7296 2.6). */
    static final int MAX_COOKIE_ROUNDS = 5;

    /**
     * DELETING: our DELETE of the IKE SA is out and we wait for its answer (retransmitting) before forgetting it.
     * REKEYED: the peer rekeyed this IKE SA (2.18), its CHILD_SAs moved to the new one; we wait for the peer's
     * DELETE of this one.
     */
    enum Phase { NEW, INIT_SENT, AUTH_SENT, INIT_ANSWERED, ESTABLISHED, DELETING, REKEYED, CLOSED }

    final EngineContext ctx;
    final boolean initiator;
    final List<Connection> candidates;
    /** The IKE SA's configuration: ike proposal, ids, PSK, DPD, fragmentation, IKE lifetime; also its CHILD_SAs'. */
    Connection connection;
    InetSocketAddress local;
    InetSocketAddress remote;
    final long spiI;
    long spiR;
    Phase phase = Phase.NEW;
    TunnelState state = TunnelState.CONNECTING;
    String lastError;

    byte[] nonceI;
    byte[] nonceR;
    /** Our IKE_SA_INIT message and the peer's, signed by AUTH (2.15). */
    byte[] initRequest;
    byte[] initResponse;
    IkeSuite suite;
    Proposal ikeProposal;
    IkeSaKeys keys;
    SkProtection sk;
    boolean nat;
    /** RFC 7383: both sides announced fragmentation and ours may send fragments (fragmentation=yes or force). */
    boolean sendFragments;
    final IkeTransport transport;
    /** Every CHILD_SA of this IKE SA: current, replaced, being deleted. */
    final ChildSaBook children;
    final ChildSaKeeper keeper;
    final TaskRouter router;
    /** The task whose request is outstanding and that takes its response; null when none or INFORMATIONAL. */
    ExchangeTask active;
    /** The IKE SA lost its last CHILD_SA and should get a new one by CREATE_CHILD_SA (1.3.1) once the window is free. */
    boolean childWanted;
    /** After a TEMPORARY_FAILURE (2.25) the new CHILD_SA is asked for again no earlier than this (millis). */
    long childCreateNotBefore = Long.MIN_VALUE;
    /** IKE SAs a rekey of this one created (the successor, or a collision's redundant one) until the engine takes them. */
    final List<IkeSession> successors = new ArrayList<>();
    /** This IKE SA was replaced by a rekey: it ends quietly, without touching the tunnel. */
    boolean superseded;
    /** The IKE SA that replaced this one, kept for DELETEs of replaced CHILD_SAs still arriving here. */
    IkeSession replacedBy;
    /** The other connections of its IKE group whose CHILD_SAs this IKE SA carries (RFC 7296 1.3.1). */
    final SharedConnections sharing = new SharedConnections(this);
    /** The peer's identity once IKE_AUTH authenticated it. */
    Identity authenticatedPeer;
    /** The peer sent INITIAL_CONTACT in IKE_AUTH and the engine has not acted on it yet (2.4). */
    boolean initialContact;
    /** IKE_AUTH completed with a CHILD_SA and the engine has not applied uniqueids yet. */
    boolean freshlyEstablished;

    /** When the last authenticated IKE message from the peer arrived (millis, the engine's clock). */
    long lastInbound = Long.MIN_VALUE;
    /** When IKE_SA_INIT began: our first request sent, or the peer's received (millis); MIN_VALUE before. */
    long handshakeStartedAt = Long.MIN_VALUE;
    /** When IKE_AUTH completed, or the rekey that made this the IKE SA in use (millis); MIN_VALUE before. */
    long establishedAt = Long.MIN_VALUE;
    /** When the rekey of this IKE SA is due (millis); MAX_VALUE when none is scheduled. */
    long ikeRekeyAt = Long.MAX_VALUE;
    /** Whether a failure of this initiated attempt is reported; false for attempts the engine will retry. */
    boolean reportFailure = true;
    /** An initiated attempt failed before its CHILD_SA was up: the engine counts it against keyingtries. */
    boolean attemptFailed;
    /** dpdaction=restart or closeaction=restart: the engine initiates the connection again once this SA is gone. */
    boolean restartWanted;
    /** We closed it (close/closeAll): no keying retry, no restart. */
    boolean closedLocally;

    IkeSession(EngineContext ctx, boolean initiator, List<Connection> candidates, long spiI, InetSocketAddress local,
               InetSocketAddress remote) {
        this.ctx = ctx;
        this.initiator = initiator;
        this.candidates = List.copyOf(candidates);
        this.connection = candidates.get(0);
        this.spiI = spiI;
        this.local = local;
        this.remote = remote;
        this.transport = new IkeTransport(this);
        this.children = new ChildSaBook(ctx.actions());
        this.keeper = new ChildSaKeeper(this);
        this.router = new TaskRouter(this);
    }

    static IkeSession initiator(EngineContext ctx, Connection connection, long spiI, InetSocketAddress local,
                                InetSocketAddress remote) {
        return new IkeSession(ctx, true, List.of(connection), spiI, local, remote);
    }

    /** A responder for an IKE_SA_INIT request; candidates are the connections the addresses allow, best first. */
    static IkeSession responder(EngineContext ctx, List<Connection> candidates, long spiI, InetSocketAddress local,
                                InetSocketAddress remote) {
        return new IkeSession(ctx, false, candidates, spiI, local, remote);
    }

    /** Our SPI of this IKE SA: the initiator's SPI when we initiated, the responder's otherwise (0 until chosen). */
    public long localSpi() {
        return initiator ? spiI : spiR;
    }

    @Override
    public int ikeVersion() {
        return 2;
    }

    @Override
    public long initiatorSpi() {
        return spiI;
    }

    @Override
    public long responderSpi() {
        return spiR;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    /** The connection this SA belongs to; for a responder settled only after IKE_AUTH names the peer. */
    @Override
    public Connection connection() {
        return connection;
    }

    public TunnelState state() {
        return state;
    }

    /** Whether this IKE SA carries connection name: its own, or another of its IKE group with a CHILD_SA on it. */
    @Override
    public boolean carries(String name) {
        return connection.name().equals(name) || sharing.connected(name);
    }

    /** The connections this IKE SA carries, its own first, then the others with CHILD_SAs on it. */
    @Override
    public List<String> carriedConnections() {
        List<String> names = new ArrayList<>(List.of(connection.name()));
        names.addAll(sharing.connectedNames());
        return names;
    }

    /** Whether c is not this IKE SA's own connection but one that shares it. */
    boolean isShared(Connection c) {
        return !c.name().equals(connection.name());
    }

    /** Being negotiated by us or established: a connection of the group may still ask for a CHILD_SA here. */
    boolean usableForChildren() {
        return phase == Phase.ESTABLISHED || initiator && (phase == Phase.NEW || phase == Phase.INIT_SENT
                || phase == Phase.AUTH_SENT);
    }

    /**
     * Closes one connection of several this IKE SA carries: deletes its CHILD_SAs (1.4.1) and reports it DOWN; the
     * IKE SA and the other connections' CHILD_SAs stay.
     */
    void closeOne(String name, long now) {
        boolean own = name.equals(connection.name());
        if (own) {
            childWanted = false;
        } else {
            sharing.stopWanting(name);
        }
        new ChildDeleteTask(this).deleteAllOf(name, now);
        if (!own) {
            sharing.closed(name);
        } else if (state != TunnelState.DOWN) {
            down(null, DownCause.OTHER);
        }
    }

    /** Established and carrying others, but without a CHILD_SA of its own connection, nor one on the way. */
    boolean waitsForOwnChild() {
        return phase == Phase.ESTABLISHED && !children.hasLive(connection.name()) && !childWanted
                && carriesOtherThan(connection.name());
    }

    /**
     * Connection c of this IKE SA's group wants a CHILD_SA on it (1.3.1): CONNECTING until CREATE_CHILD_SA brings it;
     * c is the own connection (after its own down) or one sharing the IKE SA.
     */
    void wantChild(Connection c, long now) {
        if (isShared(c)) {
            sharing.want(c, now);
            return;
        }
        childWanted = true;
        if (state != TunnelState.CONNECTING) {
            report(TunnelState.CONNECTING, null);
        }
        afterExchange(now);
    }

    /** Whether another connection than name has a CHILD_SA here or waits for one. */
    boolean carriesOtherThan(String name) {
        boolean ownLives = children.hasLive(connection.name()) || childWanted;
        return !connection.name().equals(name) && ownLives || sharing.anyOtherThan(name);
    }

    /** Reports a state of connection c, which is this SA's own or one sharing it. */
    void reportFor(Connection c, TunnelState newState, String error, DownCause cause) {
        if (isShared(c)) {
            sharing.report(c, newState, error, cause);
        } else if (newState == TunnelState.DOWN) {
            down(error, cause);
        } else {
            report(newState, error);
        }
    }

    /** Why the SA failed, if it did; never holds a secret. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Whether a NAT was detected (or encapsulation forced): ESP goes in UDP and IKE on port 4500. */
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

    /** The current CHILD_SA: the first one once installed, then whichever replaced it by a rekey. */
    public Optional<ChildSaInstall> child() {
        return children.current().map(e -> e.sa);
    }

    /** The IKE proposal both sides agreed on, once IKE_SA_INIT is done. */
    @Override
    public Optional<Proposal> ikeProposal() {
        return Optional.ofNullable(ikeProposal);
    }

    /** When this IKE SA was established (IKE_AUTH, or the rekey that created it), on the engine's clock. */
    @Override
    public OptionalLong establishedAt() {
        return establishedAt == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(establishedAt);
    }

    /** When this IKE SA's rekey is due, on the engine's clock; empty with rekey=no or before it is established. */
    @Override
    public OptionalLong ikeRekeyAt() {
        return ikeRekeyAt == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(ikeRekeyAt);
    }

    /** The lifetimes of this IKE SA's CHILD_SA with that inbound SPI, or empty when it has none such. */
    @Override
    public Optional<ChildSaTimes> childTimes(int inboundSpi) {
        return children.times(inboundSpi);
    }

    /**
     * Replaced by a rekey of the IKE SA (RFC 7296 2.18): its CHILD_SAs moved to the new IKE SA, and it only waits
     * for its DELETE; status should show the new one.
     */
    @Override
    public boolean rekeyed() {
        return superseded;
    }

    /** Finished (failed or given up): the engine forgets it. */
    @Override
    public boolean closed() {
        return phase == Phase.CLOSED;
    }

    TimerKey retransmitKey() {
        return timer(TimerKey.Kind.RETRANSMIT);
    }

    TimerKey dpdKey() {
        return timer(TimerKey.Kind.DPD);
    }

    TimerKey timer(TimerKey.Kind kind) {
        return new TimerKey(localSpi(), kind);
    }

    /** A responder that answered IKE_SA_INIT and waits for IKE_AUTH (RFC 7296 2.6 counts these). */
    boolean halfOpen() {
        return !initiator && phase == Phase.INIT_ANSWERED;
    }

    /** The identity we use towards the peer. */
    Identity localIdentity() {
        return ourIdentity(connection);
    }

    /** The peer's identity as IKE_AUTH authenticated it; null before. */
    Identity authenticatedPeer() {
        return authenticatedPeer;
    }

    /** Whether IKE_AUTH just completed with a CHILD_SA; true once, for the engine to apply uniqueids. */
    boolean takeFreshlyEstablished() {
        boolean fresh = freshlyEstablished;
        freshlyEstablished = false;
        return fresh;
    }

    /** Whether the peer sent INITIAL_CONTACT with IKE_AUTH; true once, for the engine to act on. */
    boolean takeInitialContact() {
        boolean sent = initialContact;
        initialContact = false;
        return sent;
    }

    void reportFailure(boolean report) {
        this.reportFailure = report;
    }

    boolean attemptFailed() {
        return attemptFailed && !closedLocally;
    }

    boolean restartWanted() {
        return restartWanted && !closedLocally;
    }

    /** An IKE SA a rekey of this one created, once each; the engine registers it under its SPI. */
    IkeSession takeSuccessor() {
        return successors.isEmpty() ? null : successors.remove(0);
    }

    /** The CREATE_CHILD_SA of ours in flight, which the peer's requests may collide with (2.8, 2.25); else null. */
    PendingExchange pending() {
        return active instanceof CreateChildSaTask t ? t.exchange : null;
    }

    /** Sends the IKE_SA_INIT request of an initiator. */
    public void startInitiator(long now) {
        if (initiator && phase == Phase.NEW) {
            new IkeInitTask(this).start(now);
        }
    }

    /** A decoded message for this SA; d gives the addresses it came in on. */
    public void receive(IkeMessage m, IkeDatagram d, long now) {
        router.receive(m, d, now);
    }

    /** A timer of this SA fired; the task or concern it belongs to acts on it. */
    public void timerFired(TimerKey key, long now) {
        router.timerFired(key, now);
    }

    /** Our request window (2.3) is free: what waited for it goes out now. */
    void afterExchange(long now) {
        router.afterExchange(now);
    }

    void closeLocally(long now, boolean awaitAnswer) {
        new IkeDeleteTask(this).closeLocally(now, awaitAnswer);
    }

    void forgetForInitialContact(String newerConnection) {
        new IkeDeleteTask(this).forgetForInitialContact(newerConnection);
    }

    /** Deletes our current CHILD_SA (1.4.1), keeping the IKE SA; package-private: the daemon has no command for it. */
    void deleteChild(long now) {
        new ChildDeleteTask(this).deleteCurrent(now);
    }

    /**
     * Sends an INFORMATIONAL request with these payloads (notifies, deletes) on an established SA, unless an
     * exchange of ours is outstanding (window of 1, RFC 7296 2.3); false if it was not sent.
     */
    boolean informational(List<? extends Payload> inner, long now) {
        if (phase != Phase.ESTABLISHED || transport.outstanding()) {
            return false;
        }
        transport.sendInformational(inner, now);
        return true;
    }

    /** A byte, packet or sequence number limit of the CHILD_SA with that inbound SPI; false if it is not ours. */
    boolean volumeLimitReached(int inboundSpi, LimitKind kind, long now) {
        ChildSaBook.Entry e = children.byInboundSpi(inboundSpi);
        if (e == null) {
            return false;
        }
        keeper.volumeLimitReached(e, kind, now);
        return true;
    }

    /** Forgets every CHILD_SA without telling the peer, as an endpoint that lost its SA state would; for tests. */
    void forgetChildrenSilently() {
        children.forgetAll();
        keeper.armTimers();
    }

    /** The inner payloads of a message protected by this SA's peer; for tests and diagnostics. */
    List<Payload> decryptFromPeer(IkeMessage m) throws InvalidMessageException, SkPayloadException {
        return sk.unprotect(m);
    }

    void cancelTimers() {
        transport.abandon();
        active = null;
        childWanted = false;
        ctx.actions().cancelTimer(timer(TimerKey.Kind.HALF_OPEN));
        ctx.actions().cancelTimer(dpdKey());
        cancelChildTimers();
        ctx.actions().cancelTimer(timer(TimerKey.Kind.CHILD_CREATE));
        ctx.actions().cancelTimer(timer(TimerKey.Kind.IKE_REKEY));
        ctx.actions().cancelTimer(timer(TimerKey.Kind.REKEYED_LINGER));
    }

    void cancelChildTimers() {
        ctx.actions().cancelTimer(timer(TimerKey.Kind.CHILD_REKEY));
        ctx.actions().cancelTimer(timer(TimerKey.Kind.CHILD_EXPIRE));
    }

    /** This SA's own connection is DOWN; the connections sharing the IKE SA are untouched. */
    void down(String reason, DownCause cause) {
        if (superseded) {
            return; // the new IKE SA speaks for the tunnel
        }
        state = TunnelState.DOWN;
        lastError = reason;
        if (!otherSpeaksFor(connection.name())) {
            ctx.actions().stateChanged(connection.name(), TunnelState.DOWN, reason, cause);
        }
    }

    /**
     * Whether another IKE SA carries connection name and is CONNECTED: a duplicate going away (deleted by the peer's
     * uniqueids, say) must not report DOWN over it.
     */
    boolean otherSpeaksFor(String name) {
        for (IkeSession o : ctx.sessions().get()) {
            if (o != this && !o.closed() && !o.superseded && o.carries(name)
                    && (o.connection.name().equals(name) ? o.state == TunnelState.CONNECTED : o.sharing.connected(name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The IKE SA is gone (dead peer, deleted): every connection it carried is DOWN; those sharing it whose restart
     * says so ride the next attempt ({@link SharedConnections#rideOnRestart}).
     */
    void allDown(String reason, DownCause cause) {
        sharing.rideOnRestart(cause);
        down(reason, cause);
        sharing.allDown(reason, cause);
    }

    /** Reports a failure that leaves the IKE SA up (a CHILD_SA refused) and remembers it with its error. */
    void reportFailed(TunnelState failed, String error, FailureCause cause) {
        state = failed;
        lastError = error;
        ctx.actions().stateChanged(connection.name(), failed, error, cause);
    }

    /** Reports a state other than DOWN for the connection and remembers it with its error. */
    void report(TunnelState newState, String error) {
        state = newState;
        lastError = error;
        ctx.actions().stateChanged(connection.name(), newState, error);
    }

    /** The attempt failed before IKE keys were usable; an initiator's failure counts against keyingtries. */
    void fail(TunnelState failed, String error) {
        fail(failed, error, FailureCause.OTHER);
    }

    void fail(TunnelState failed, String error, FailureCause cause) {
        cancelTimers();
        phase = Phase.CLOSED;
        state = failed;
        lastError = error;
        attemptFailed = initiator;
        if (!initiator || reportFailure) {
            ctx.actions().stateChanged(connection.name(), failed, error, cause);
        }
        sharing.failWaiting(failed, error, cause);
    }

    void close() {
        cancelTimers();
        children.forgetAll();
        phase = Phase.CLOSED;
    }

    Identity ourIdentity(Connection c) {
        return c.left().id().isAny() ? Identity.of(local.getAddress()) : c.left().id();
    }

    /** A random value in [0, bound], for rekey fuzz and retry back-off. */
    long fuzz(long bound) {
        return ctx.fuzz(bound);
    }

    static byte[] spiBytes(long spi) {
        return ByteBuffer.allocate(8).putLong(spi).array();
    }

    @Override
    public String toString() {
        return String.format("IkeSession[%s %s %016x_i %016x_r %s %s]", connection.name(), initiator ? "initiator" : "responder",
                spiI, spiR, phase, state);
    }
}
