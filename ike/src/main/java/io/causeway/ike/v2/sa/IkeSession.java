package io.causeway.ike.v2.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.EspMode;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.timing.RekeySchedule;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One IKE SA from IKE_SA_INIT to the first CHILD_SA (RFC 7296 1.2, 2.15, 2.23), as initiator or responder,
 * with pre-shared keys, and then its INFORMATIONAL exchanges (1.4, 2.4): liveness checks both ways (DPD),
 * DELETE of CHILD_SAs or the IKE SA by either side, and CREATE_CHILD_SA (1.3, 2.8, 2.17, 2.18) both ways: rekeying
 * CHILD_SAs (with PFS when the esp proposal has a DH group) and the IKE SA, and new CHILD_SAs on the IKE SA (1.3.1).
 * Sans-IO: it reacts to messages and timers and tells {@link IkeActions} what to do. Nothing thrown escapes; bad
 * input is dropped and counted, failures end in a state with a lastError.
 *
 * <p>CHILD_SAs ({@link ChildSaBook}): a rekeyed one is installed before the old one is removed; the old one goes
 * with its DELETE, sent by whoever started the rekey. Each has its own lifetime: time (lifetime, margintime) and
 * volume (lifebytes, lifepackets, checked when the daemon calls {@link IkeEngine#checkVolumes}); the soft limit
 * rekeys (rekey=yes), the hard one deletes. When the last CHILD_SA is gone but the IKE SA lives, a new one is
 * created by CREATE_CHILD_SA without REKEY_SA after a hard expiry if the connection has auto=start or auto=route,
 * after the peer deleted it if closeaction=restart (as strongSwan does), and after the peer answered
 * CHILD_SA_NOT_FOUND to our rekey; otherwise the tunnel is DOWN and the IKE SA stays. As responder a new CHILD_SA
 * is chosen and narrowed like the one of IKE_AUTH and becomes the current one.
 *
 * <p>Transport mode: type=transport asks for it with N(USE_TRANSPORT_MODE) in IKE_AUTH and CREATE_CHILD_SA (a rekey
 * asks for the mode of the SA it replaces); granted and accepted as strongSwan does, see {@link ChildSaMode}.
 *
 * <p>Collisions: a rekey of the SA we are rekeying is answered and both complete; the new SA made by the exchange
 * holding the lowest nonce is deleted by its initiator, the other takes over (2.8.1 CHILD_SA, 2.8.2 IKE SA), see
 * {@link RekeyCollision}. A CHILD_SA exchange and an IKE SA rekey refuse each other with TEMPORARY_FAILURE and are
 * retried 10 to 20 s later (2.25); so is a rekey of a CHILD_SA being deleted, while one of a CHILD_SA we no longer
 * have gets CHILD_SA_NOT_FOUND (2.25.1). A DELETE of a CHILD_SA we are rekeying is answered as usual, and the rekey
 * then brings nothing back. A rekeyed IKE SA is a new session (new SPIs, message ids from 0) that takes over the
 * CHILD_SAs; the engine registers it, the old one ends quietly.
 *
 * <p>IKE fragmentation (RFC 7383): both sides announce it in IKE_SA_INIT unless fragmentation=no; when both did
 * and ours is yes or force, an encrypted message too big for the engine's fragment size goes out as SKF fragments
 * ({@link SkProtection}); received fragments are always accepted ({@link FragmentInbox}). Not yet: smaller
 * fragments after unanswered retransmissions (RFC 7383 2.5.2). A responder that got no IKE_AUTH within the
 * half-open timeout forgets the SA. INITIAL_CONTACT is sent as initiator when no other SA with the peer exists
 * and honoured in both roles ({@link InitialContact}).
 *
 * <p>Not yet: the responder keeps no separate CHILD_SA per connection of the peer's request (a new CHILD_SA is
 * narrowed against this IKE SA's connection only); a CHILD_SA the peer creates while ours is being created at the
 * same moment is kept next to ours rather than resolved.
 */
public final class IkeSession {
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
    byte[] initRequest;
    byte[] initResponse;
    IkeSuite suite;
    Proposal ikeProposal;
    IkeSaKeys keys;
    SkProtection sk;
    boolean nat;
    /** Every CHILD_SA of this IKE SA: current, replaced, being deleted. */
    final ChildSaBook children;
    final ChildSaKeeper keeper;
    /** The task whose request is outstanding and that takes its response; null when none or INFORMATIONAL. */
    ExchangeTask active;
    PendingExchange pending;
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

    /** RFC 7383: both sides announced fragmentation and ours may send fragments (fragmentation=yes or force). */
    boolean sendFragments;
    /** The peer's identity once IKE_AUTH authenticated it. */
    Identity authenticatedPeer;
    /** The peer sent INITIAL_CONTACT in IKE_AUTH and the engine has not acted on it yet (2.4). */
    boolean initialContact;

    final IkeTransport transport;
    /** When the last authenticated IKE message from the peer arrived (millis, the engine's clock). */
    long lastInbound = Long.MIN_VALUE;
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

    private IkeSession(EngineContext ctx, boolean initiator, List<Connection> candidates, long spiI,
                       InetSocketAddress local, InetSocketAddress remote) {
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

    public long initiatorSpi() {
        return spiI;
    }

    public long responderSpi() {
        return spiR;
    }

    public boolean isInitiator() {
        return initiator;
    }

    /** The connection this SA belongs to; for a responder settled only after IKE_AUTH names the peer. */
    public Connection connection() {
        return connection;
    }

    public TunnelState state() {
        return state;
    }

    /** Why the SA failed, if it did; never holds a secret. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Whether a NAT was detected (or encapsulation forced): ESP goes in UDP and IKE on port 4500. */
    public boolean natDetected() {
        return nat;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** The current CHILD_SA: the first one once installed, then whichever replaced it by a rekey. */
    public Optional<ChildSaInstall> child() {
        return children.current().map(e -> e.sa);
    }

    /** The IKE proposal both sides agreed on, once IKE_SA_INIT is done. */
    public Optional<Proposal> ikeProposal() {
        return Optional.ofNullable(ikeProposal);
    }

    /** When this IKE SA was established (IKE_AUTH, or the rekey that created it), on the engine's clock. */
    public OptionalLong establishedAt() {
        return establishedAt == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(establishedAt);
    }

    /** When this IKE SA's rekey is due, on the engine's clock; empty with rekey=no or before it is established. */
    public OptionalLong ikeRekeyAt() {
        return ikeRekeyAt == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(ikeRekeyAt);
    }

    /** The lifetimes of this IKE SA's CHILD_SA with that inbound SPI, or empty when it has none such. */
    public Optional<ChildSaTimes> childTimes(int inboundSpi) {
        for (ChildSaBook.Entry e : children.all()) {
            if (e.sa.inboundSpi() == inboundSpi) {
                return Optional.of(new ChildSaTimes(at(e.rekeyAt), at(e.expireAt)));
            }
        }
        return Optional.empty();
    }

    private static OptionalLong at(long millis) {
        return millis == ChildSaBook.NEVER ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    /**
     * Replaced by a rekey of the IKE SA (RFC 7296 2.18): its CHILD_SAs moved to the new IKE SA, and it only waits
     * for its DELETE; status should show the new one.
     */
    public boolean rekeyed() {
        return superseded;
    }

    /** Finished (failed or given up): the engine forgets it. */
    public boolean closed() {
        return phase == Phase.CLOSED;
    }

    TimerKey retransmitKey() {
        return new TimerKey(localSpi(), TimerKey.Kind.RETRANSMIT);
    }

    TimerKey dpdKey() {
        return new TimerKey(localSpi(), TimerKey.Kind.DPD);
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

    // ---------------------------------------------------------------- initiator: IKE_SA_INIT (RFC 7296 1.2)

    /** Sends the IKE_SA_INIT request of an initiator. */
    public void startInitiator(long now) {
        if (initiator && phase == Phase.NEW) {
            new IkeInitTask(this).start(now);
        }
    }

    // ---------------------------------------------------------------- initiator: IKE_AUTH (RFC 7296 1.2, 2.15)

    // ---------------------------------------------------------------- responder

    private void onRequest(IkeMessage m, IkeDatagram d, long now) {
        if (transport.answeredAgain(m, d) || !transport.expected(m)) {
            return;
        }
        long id = m.header().messageId();
        int exchange = m.header().exchangeType();
        if (!initiator && phase == Phase.NEW && exchange == ExchangeType.IKE_SA_INIT && id == 0) {
            new IkeInitTask(this).onRequest(m, d, now);
        } else if (!initiator && phase == Phase.INIT_ANSWERED && exchange == ExchangeType.IKE_AUTH && id == 1) {
            new IkeAuthTask(this, null).onRequest(m, d, now);
        } else if ((phase == Phase.ESTABLISHED || phase == Phase.DELETING || phase == Phase.REKEYED)
                && exchange == ExchangeType.INFORMATIONAL) {
            new InformationalExchange(this).onRequest(m, now);
        } else if ((phase == Phase.ESTABLISHED || phase == Phase.DELETING || phase == Phase.REKEYED)
                && exchange == ExchangeType.CREATE_CHILD_SA) {
            onCreateChildSaRequest(m, d, now);
        } else {
            ctx.drops().drop();
        }
    }

    // ---------------------------------------------------------------- both roles

    /** A decoded message for this SA; d gives the addresses it came in on. */
    public void receive(IkeMessage m, IkeDatagram d, long now) {
        if (phase == Phase.CLOSED) {
            ctx.drops().drop();
            return;
        }
        try {
            if (m.skf().isPresent() && (m = transport.reassemble(m, d, now)) == null) {
                return;
            }
            if (m.header().response()) {
                if (!transport.awaits(m)) {
                    ctx.drops().drop();
                } else if (initiator && (phase == Phase.INIT_SENT || phase == Phase.AUTH_SENT)) {
                    active.onResponse(m, now);
                } else if (pending != null && m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA) {
                    onCreateChildSaResponse(m, now);
                } else if (phase == Phase.ESTABLISHED || phase == Phase.DELETING || phase == Phase.REKEYED) {
                    new InformationalExchange(this).onResponse(m, now);
                } else {
                    ctx.drops().drop();
                }
            } else if (!initiator || phase == Phase.ESTABLISHED || phase == Phase.DELETING || phase == Phase.REKEYED) {
                onRequest(m, d, now);
            } else {
                ctx.drops().drop(); // a request from the responder before our IKE_AUTH completed
            }
        } catch (RuntimeException e) {
            // a bug or a value the codecs let through must not take the control thread down
            ctx.drops().drop();
            if (phase != Phase.ESTABLISHED && phase != Phase.DELETING && phase != Phase.REKEYED && phase != Phase.CLOSED) {
                fail(phase == Phase.NEW || phase == Phase.INIT_SENT || phase == Phase.INIT_ANSWERED || phase == Phase.AUTH_SENT
                        ? TunnelState.PHASE1_FAILED : TunnelState.PHASE2_FAILED, "internal error handling "
                        + ExchangeType.name(m.header().exchangeType()) + ": " + e.getClass().getSimpleName());
            }
        }
    }

    /**
     * RETRANSMIT resends the outstanding request, or gives up when the schedule is exhausted (RFC 7296 2.1, 2.4);
     * DPD checks for inbound activity and sends a liveness check when the SA was idle for dpddelay.
     */
    public void timerFired(TimerKey key, long now) {
        if (phase == Phase.CLOSED) {
            return;
        }
        switch (key.kind()) {
            case HALF_OPEN -> {
                if (halfOpen()) {
                    close(); // 2.6: no peer we know of yet, so its connection's state stays as it is
                }
                return;
            }
            case DPD -> {
                new DpdTask(this).onTimer(now);
                return;
            }
            case CHILD_REKEY -> {
                startChildRekey(now);
                return;
            }
            case CHILD_EXPIRE -> {
                keeper.expireDue(now);
                return;
            }
            case CHILD_CREATE -> {
                startChildCreate(now);
                return;
            }
            case IKE_REKEY -> {
                startIkeRekey(now);
                return;
            }
            case REKEYED_LINGER -> {
                if (phase == Phase.REKEYED) {
                    close(); // the peer never deleted the IKE SA it replaced: forget it quietly
                }
                return;
            }
            default -> {
            }
        }
        if (key.kind() == TimerKey.Kind.RETRANSMIT) {
            transport.retransmitTimer(now);
        }
    }

    /** Our request went unanswered through the whole retransmission schedule (2.1, 2.4). */
    void unanswered(int tries) {
        if (phase == Phase.ESTABLISHED) {
            new DpdTask(this).deadPeer();
        } else if (phase == Phase.DELETING || phase == Phase.REKEYED) {
            close(); // our DELETE went unanswered: the SA is gone on our side anyway (2.4)
        } else {
            fail(TunnelState.PHASE1_FAILED, "no answer from " + IpLiteral.format(remote.getAddress()) + " after "
                    + tries + " retransmissions");
        }
    }

    // ---------------------------------------------------------------- INFORMATIONAL (RFC 7296 1.4, 2.4)

    // ---------------------------------------------------------------- CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.18)

    /**
     * A CREATE_CHILD_SA request of the peer: the rekey of a CHILD_SA (N(REKEY_SA), 1.3.3), of the IKE SA (an IKE
     * proposal, 1.3.2) or a new CHILD_SA (1.3.1), each answered and carried out. A rekey colliding with our rekey of
     * the same SA is answered normally and settled by the nonce rule when our answer comes (2.8.1, 2.8.2); a CHILD_SA
     * exchange colliding with our IKE SA rekey, or the other way round, gets TEMPORARY_FAILURE (2.25).
     */
    private void onCreateChildSaRequest(IkeMessage m, IkeDatagram d, long now) {
        List<Payload> inner = transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        lastInbound = now;
        if (phase != Phase.ESTABLISHED) {
            // this IKE SA was replaced or is being deleted: the peer must use the new one (2.25)
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        Optional<NoncePayload> nonce = first(inner, NoncePayload.class);
        Optional<KePayload> ke = first(inner, KePayload.class);
        Optional<NotifyPayload> rekey = only(inner, NotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.REKEY_SA).findFirst();
        if (sa.isEmpty() || nonce.isEmpty()) {
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            return;
        }
        boolean ikeRekey = rekey.isEmpty()
                && sa.get().proposals().stream().anyMatch(p -> p.protocolId() == SaProposal.PROTOCOL_IKE);
        if (ikeRekey) {
            onIkeRekeyRequest(m, sa.get(), nonce.get(), ke, now);
            return;
        }
        if (pending != null && pending.ike()) {
            // 2.25: our rekey of the IKE SA is under way; the peer retries, on the new IKE SA if ours completes
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        if (rekey.isEmpty()) {
            onNewChildRequest(m, inner, sa.get(), nonce.get(), ke, now);
            return;
        }
        onChildRekeyRequest(m, inner, rekey.get(), sa.get(), nonce.get(), ke, now);
    }

    private void onChildRekeyRequest(IkeMessage m, List<Payload> inner, NotifyPayload rekey, SaPayload sa,
                                     NoncePayload nonce, Optional<KePayload> ke, long now) {
        // 1.3.3: the SPI is the one the peer receives on (our outbound); accept our inbound SPI as well
        ChildSaBook.Entry old = rekey.protocolId() == SaProposal.PROTOCOL_ESP && rekey.spi().length == 4
                ? children.byEitherSpi(ByteBuffer.wrap(rekey.spi()).getInt()) : null;
        if (old == null) {
            // 2.25.1: a CHILD_SA we no longer have
            transport.sendProtectedResponse(m, List.of(new NotifyPayload(rekey.protocolId(), rekey.spi(), NotifyType.CHILD_SA_NOT_FOUND,
                    new byte[0])));
            return;
        }
        if (!old.live()) {
            // 2.25.1: we are deleting it, or it was replaced already; the peer may retry later
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        Responded answer = answerChildRequest(m, inner, sa, nonce, ke, old.sa.localSelectors(), old.sa.remoteSelectors());
        if (answer == null) {
            return;
        }
        ChildSaBook.Entry created = keeper.install(answer.child, connection, now);
        // the peer started this rekey, so it deletes the old SA (2.8); until then it receives packets in flight
        children.replaced(old);
        keeper.armTimers();
        if (pending != null && pending.kind == PendingExchange.Kind.CHILD_REKEY && pending.old == old) {
            // 2.8.1: both ends rekey this CHILD_SA; which new SA survives is decided when our answer comes
            pending.peerNi = nonce.nonce();
            pending.ourNr = answer.nr;
            pending.peerChild = created;
        }
        keeper.childUp();
    }

    /**
     * 1.3.1: a new CHILD_SA on this IKE SA (strongSwan creates one when its CHILD_SA hard-expired while the IKE SA
     * lives), chosen and narrowed against the connection as in IKE_AUTH. It becomes the current CHILD_SA; an older
     * one stays until deleted or expired.
     */
    private void onNewChildRequest(IkeMessage m, List<Payload> inner, SaPayload sa, NoncePayload nonce,
                                   Optional<KePayload> ke, long now) {
        Responded answer = answerChildRequest(m, inner, sa, nonce, ke, keeper.localSubnets(connection), keeper.remoteSubnets(connection));
        if (answer != null) {
            keeper.install(answer.child, connection, now);
            keeper.childUp();
        }
    }

    /** A CHILD_SA we agreed to as responder, and our nonce of that exchange. */
    private record Responded(ChildSaInstall child, byte[] nr) {
    }

    /** Answers a CREATE_CHILD_SA request for a CHILD_SA; returns the SA to install, or null when refused. */
    private Responded answerChildRequest(IkeMessage m, List<Payload> inner, SaPayload sa, NoncePayload nonce,
                                         Optional<KePayload> ke, List<Subnet> ourLocal, List<Subnet> ourRemote) {
        ChildSaMode mode = ChildSaMode.responder(inner, connection, nat, remote.getAddress(), local.getAddress());
        ChildSaAnswer answer = ChildSaAnswer.decide(connection.esp(), sa, ke, only(inner, TrafficSelectorPayload.class),
                ourLocal, ourRemote, mode, ctx.random());
        if (answer.error != null) {
            transport.sendProtectedResponse(m, List.of(answer.error));
            return null;
        }
        int inboundSpi = newEspSpi();
        transport.sendProtectedResponse(m, answer.payloads(inboundSpi));
        return new Responded(keeper.derive(connection, answer.chosen(), inboundSpi, answer.peerSpi(), answer.narrowedR, answer.narrowedI,
                answer.sharedSecret, nonce.nonce(), answer.nr, false, answer.mode), answer.nr);
    }

    private void onIkeRekeyRequest(IkeMessage m, SaPayload sa, NoncePayload nonce, Optional<KePayload> ke, long now) {
        Optional<ProposalMatch> picked = ProposalMatch.pick(connection.ike(), sa, false)
                .filter(p -> p.offered().spi().length == 8 && p.offered().protocolId() == SaProposal.PROTOCOL_IKE);
        if (picked.isEmpty()) {
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            return;
        }
        ProposalMatch match = ke.map(k -> picked.get().preferringGroup(k.dhGroup())).orElse(picked.get());
        int group = match.dhGroup();
        if (ke.isEmpty() || ke.get().dhGroup() != group || DhGroup.lookup(group).isEmpty()) {
            transport.sendProtectedResponse(m, List.of(NotifyPayload.invalidKePayload(group)));
            return;
        }
        if (pending != null && (!pending.ike() || pending.collided())) {
            // 2.25: a CHILD_SA exchange of ours is under way on this SA; the peer retries later
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        DhKeyPair ours = DhGroup.forId(group).generate(ctx.random());
        byte[] shared;
        try {
            shared = ours.sharedSecret(ke.get().keyData());
        } catch (InvalidPeerKeyException e) {
            transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            return;
        }
        long peerSpi = ByteBuffer.wrap(match.offered().spi()).getLong();
        long ourSpi = newIkeSpi();
        byte[] nr = ctx.random().nextBytes(NONCE_BYTES);
        List<Payload> response = List.of(SaPayload.chosen(match.offered().number(), match.chosen(), spiBytes(ourSpi)),
                new NoncePayload(nr), new KePayload(group, ours.publicValue()));
        transport.sendProtectedResponse(m, response);
        // 2.18: the peer initiated the rekey, so it is the initiator of the new IKE SA
        IkeSession created = newIkeSa(false, peerSpi, ourSpi, match.chosen(), shared, nonce.nonce(), nr);
        successors.add(created);
        if (pending != null) {
            // 2.8.2: both ends rekey this IKE SA; which new one survives is decided when our answer comes. Until
            // then the peer's stays quiet and this one keeps the CHILD_SAs.
            pending.peerNi = nonce.nonce();
            pending.ourNr = nr;
            pending.peerIkeSa = created;
            created.superseded = true;
            return;
        }
        giveChildrenTo(created, now);
        awaitPeerDelete(now);
    }

    /**
     * A new IKE SA from a rekey of this one (2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), new SPIs,
     * message ids from 0. It has no CHILD_SAs and no timers yet.
     */
    private IkeSession newIkeSa(boolean weInitiated, long newSpiI, long newSpiR, Proposal chosen, byte[] shared, byte[] ni,
                                byte[] nr) {
        IkeSuite newSuite = IkeSuite.of(chosen.encryption().get(0),
                chosen.integrity().isEmpty() ? null : chosen.integrity().get(0), chosen.prf().get(0));
        byte[] seed = IkeKeyDerivation.rekeySkeyseed(suite.prf(), keys.skD(), shared, ni, nr);
        IkeSaKeys newKeys;
        try {
            newKeys = IkeKeyDerivation.deriveKeys(newSuite, seed, ni, nr, spiBytes(newSpiI), spiBytes(newSpiR));
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
            java.util.Arrays.fill(shared, (byte) 0);
        }
        IkeSession n = new IkeSession(ctx, weInitiated, List.of(connection), newSpiI, local, remote);
        n.spiR = newSpiR;
        n.phase = Phase.ESTABLISHED;
        n.state = state;
        n.lastError = lastError;
        n.nonceI = ni;
        n.nonceR = nr;
        n.ikeProposal = chosen;
        n.suite = newSuite;
        n.keys = newKeys;
        n.sk = new SkProtection(newSuite, newKeys, weInitiated, ctx.random());
        n.nat = nat;
        n.sendFragments = sendFragments; // RFC 7383 2.3: negotiated once, for the SA and its rekeyed successors
        n.authenticatedPeer = authenticatedPeer;
        n.lastInbound = lastInbound;
        n.transport.nextRequestId = 0;
        n.transport.expectedRequestId = 0;
        return n;
    }

    /**
     * Moves the CHILD_SAs and their timers to the IKE SA that replaces this one (2.18); this one then only finishes
     * what it has under way (an answer, DELETEs already sent) and ends quietly.
     */
    void giveChildrenTo(IkeSession n, long now) {
        children.moveTo(n.children);
        n.establishedAt = now;
        n.superseded = false;
        n.state = state;
        n.lastError = lastError;
        n.childWanted = childWanted;
        n.childCreateNotBefore = childCreateNotBefore;
        n.keeper.armTimers();
        n.armIkeRekey(now);
        new DpdTask(n).arm();
        ctx.actions().cancelTimer(dpdKey());
        cancelChildTimers();
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY));
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_CREATE));
        childWanted = false;
        superseded = true;
        replacedBy = n;
        n.afterExchange(now); // DELETEs that were waiting for our window, a CHILD_SA still wanted
        ctx.actions().ikeSaRekeyed(connection.name());
    }

    /** Replaced by the peer's rekey, or the peer's redundant IKE SA: only the peer's DELETE is still expected. */
    private void awaitPeerDelete(long now) {
        phase = Phase.REKEYED;
        long linger = 0;
        for (int i = 0; i <= ctx.schedule().tries(); i++) {
            linger += ctx.schedule().waitAfter(i).toMillis();
        }
        ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.REKEYED_LINGER), now + linger);
    }

    /** An IKE SA a rekey of this one created, once each; the engine registers it under its SPI. */
    IkeSession takeSuccessor() {
        return successors.isEmpty() ? null : successors.remove(0);
    }

    /**
     * The rekey timer fired (soft lifetime, or a byte or packet soft limit): send CREATE_CHILD_SA with N(REKEY_SA)
     * (1.3.3) for the live CHILD_SA whose rekey is due first.
     */
    void startChildRekey(long now) {
        if (phase != Phase.ESTABLISHED || !connection.rekey()) {
            return;
        }
        ChildSaBook.Entry due = children.live().stream().min(java.util.Comparator.comparingLong(e -> e.rekeyAt))
                .orElse(null);
        if (due == null) {
            return;
        }
        if (transport.outstanding() || pending != null) {
            // window of 1 (2.3): try again once the outstanding exchange is over
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_REKEY), now + 1000);
            return;
        }
        Proposal first = connection.esp().get(0);
        int group = first.dhGroups().isEmpty() ? -1 : first.dhGroups().get(0).ianaId();
        pending = PendingExchange.childRekey(due, newEspSpi(), ctx.random().nextBytes(NONCE_BYTES), group,
                due.sa.mode() == EspMode.TRANSPORT); // the rekey asks for the mode of the SA it replaces
        due.rekeyAt = ChildSaBook.NEVER; // until this rekey is answered
        keeper.armTimers();
        sendChildRequest(now);
    }

    /** 1.3.1: a new CHILD_SA for the connection on this IKE SA, proposed as in IKE_AUTH, with PFS if configured. */
    private void startChildCreate(long now) {
        if (phase != Phase.ESTABLISHED || !childWanted || children.hasLive()) {
            return;
        }
        if (now < childCreateNotBefore) {
            // backing off after TEMPORARY_FAILURE (also on the IKE SA that took over from the one that got it)
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_CREATE), childCreateNotBefore);
            return;
        }
        if (transport.outstanding() || pending != null) {
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_CREATE), now + 1000);
            return;
        }
        Proposal first = connection.esp().get(0);
        int group = first.dhGroups().isEmpty() ? -1 : first.dhGroups().get(0).ianaId();
        pending = PendingExchange.childCreate(newEspSpi(), ctx.random().nextBytes(NONCE_BYTES), group,
                ChildSaMode.wanted(connection));
        sendChildRequest(now);
    }

    /** CREATE_CHILD_SA for a CHILD_SA: [N(REKEY_SA),] SA, Ni, [KEi,] TSi, TSr (1.3.1, 1.3.3). */
    private void sendChildRequest(long now) {
        PendingExchange p = pending;
        List<Payload> inner = new ArrayList<>();
        if (p.old != null) {
            inner.add(new NotifyPayload(SaProposal.PROTOCOL_ESP, spiBytes32(p.old.sa.inboundSpi()), NotifyType.REKEY_SA,
                    new byte[0]));
        }
        inner.add(SaPayload.of(connection.esp(), spiBytes32(p.inboundSpi)));
        inner.add(new NoncePayload(p.nonce));
        if (p.group != -1) {
            p.dh = DhGroup.forId(p.group).generate(ctx.random());
            inner.add(new KePayload(p.group, p.dh.publicValue()));
        }
        inner.add(TrafficSelectorNarrowing.payload(true, proposedLocal(p)));
        inner.add(TrafficSelectorNarrowing.payload(false, proposedRemote(p)));
        if (p.transport) {
            inner.add(ChildSaMode.useTransportMode()); // 1.3.1
        }
        transport.sendProtectedRequest(ExchangeType.CREATE_CHILD_SA, inner, now);
    }

    /** A rekey keeps the selectors of the SA it replaces; a new CHILD_SA proposes the connection's. */
    private List<AddressRangeSelector> proposedLocal(PendingExchange p) {
        return TrafficSelectorNarrowing.selectorsOf(p.old != null ? p.old.sa.localSelectors() : keeper.localSubnets(connection));
    }

    private List<AddressRangeSelector> proposedRemote(PendingExchange p) {
        return TrafficSelectorNarrowing.selectorsOf(p.old != null ? p.old.sa.remoteSelectors() : keeper.remoteSubnets(connection));
    }

    /** The IKE SA reached its soft lifetime: send CREATE_CHILD_SA with an IKE proposal and our new SPI (1.3.2). */
    private void startIkeRekey(long now) {
        if (phase != Phase.ESTABLISHED || !connection.rekey()) {
            return;
        }
        if (transport.outstanding() || pending != null) {
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY), now + 1000);
            return;
        }
        int group = connection.ike().get(0).dhGroups().get(0).ianaId();
        pending = PendingExchange.ikeRekey(newIkeSpi(), ctx.random().nextBytes(NONCE_BYTES), group);
        sendIkeRekey(now);
    }

    private void sendIkeRekey(long now) {
        PendingExchange p = pending;
        p.dh = DhGroup.forId(p.group).generate(ctx.random());
        transport.sendProtectedRequest(ExchangeType.CREATE_CHILD_SA, List.of(SaPayload.of(connection.ike(), spiBytes(p.ikeSpi)), new NoncePayload(p.nonce),
                new KePayload(p.group, p.dh.publicValue())), now);
    }

    private void onCreateChildSaResponse(IkeMessage m, long now) {
        List<Payload> inner = transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        transport.answered();
        lastInbound = now;
        PendingExchange p = pending;
        pending = null;
        handleCreateChildSaResponse(p, inner, now);
        if (!p.ike()) {
            keeper.settleLoss(p, now);
        }
        if (phase == Phase.ESTABLISHED) {
            afterExchange(now);
        }
    }

    private void handleCreateChildSaResponse(PendingExchange p, List<Payload> inner, long now) {
        for (NotifyPayload n : only(inner, NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.INVALID_KE_PAYLOAD) {
                int wanted = n.invalidKeGroup().orElse(-1);
                List<Proposal> offered = p.ike() ? connection.ike() : connection.esp();
                boolean ours = offered.stream().flatMap(x -> x.dhGroups().stream()).anyMatch(a -> a.ianaId() == wanted);
                if (!p.retriedGroup && ours && wanted != p.group && DhGroup.lookup(wanted).isPresent()) {
                    p.retriedGroup = true; // 1.3: the same request again with a KE of the group asked for
                    p.group = wanted;
                    pending = p;
                    if (p.ike()) {
                        sendIkeRekey(now);
                    } else {
                        sendChildRequest(now);
                    }
                    return;
                }
            }
            if (n.isError()) {
                exchangeFailed(p, n.notifyType(), "peer answered " + NotifyType.name(n.notifyType()) + " to "
                        + p.describe(), now);
                return;
            }
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        Optional<NoncePayload> nonce = first(inner, NoncePayload.class);
        Optional<KePayload> ke = first(inner, KePayload.class);
        if (sa.isEmpty() || nonce.isEmpty() || sa.get().proposals().size() != 1) {
            exchangeFailed(p, 0, "peer's CREATE_CHILD_SA response has no single SA and Nr", now);
            return;
        }
        SaProposal chosen = sa.get().proposals().get(0);
        Optional<Proposal> conf = chosen.toConf();
        int group = conf.map(c -> c.dhGroups().isEmpty() ? -1 : c.dhGroups().get(0).ianaId()).orElse(-1);
        boolean ok = conf.isPresent() && (p.ike()
                ? chosen.protocolId() == SaProposal.PROTOCOL_IKE && chosen.spi().length == 8
                        && ProposalSelector.accepts(connection.ike(), conf.get(), false)
                : chosen.protocolId() == SaProposal.PROTOCOL_ESP && chosen.spi().length == 4
                        && ProposalSelector.accepts(connection.esp(), conf.get(), false));
        if (!ok || group != (p.dh == null ? -1 : p.group)
                || (group != -1 && (ke.isEmpty() || ke.get().dhGroup() != group))) {
            exchangeFailed(p, 0, "peer chose a proposal we did not offer in CREATE_CHILD_SA: " + chosen, now);
            return;
        }
        byte[] shared = null;
        if (group != -1) {
            try {
                shared = p.dh.sharedSecret(ke.get().keyData());
            } catch (InvalidPeerKeyException e) {
                exchangeFailed(p, 0, "peer sent an invalid DH public value in CREATE_CHILD_SA", now);
                return;
            }
        }
        byte[] nr = nonce.get().nonce();
        if (p.ike()) {
            ikeRekeyAnswered(p, conf.get(), ByteBuffer.wrap(chosen.spi()).getLong(), shared, nr, now);
            return;
        }
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        ChildSaMode mode = ChildSaMode.initiator(inner, p.transport, nat, local.getAddress(), remote.getAddress());
        List<AddressRangeSelector> answeredI = tsi.map(t -> mode.initiatorSelectors(t.addressRanges())).orElse(List.of());
        List<AddressRangeSelector> answeredR = tsr.map(t -> mode.responderSelectors(t.addressRanges())).orElse(List.of());
        boolean selectorsOk = TrafficSelectorNarrowing.within(answeredI, proposedLocal(p))
                && TrafficSelectorNarrowing.within(answeredR, proposedRemote(p));
        Optional<EspMode> espMode = selectorsOk ? mode.accepted(answeredI, answeredR) : Optional.empty();
        if (espMode.isEmpty()) {
            // the peer has the SA installed: delete it rather than leave it behind (1.4.1, 3.10.1)
            children.trackForDelete(keeper.derive(connection, conf.get(), p.inboundSpi, spiValue(chosen), proposedLocal(p),
                    proposedRemote(p), shared, p.nonce, nr, true, EspMode.TUNNEL));
            exchangeFailed(p, 0, selectorsOk ? mode.refusal() + " in CREATE_CHILD_SA"
                    : "peer answered traffic selectors outside ours in CREATE_CHILD_SA", now);
            return;
        }
        ChildSaInstall created = keeper.derive(connection, conf.get(), p.inboundSpi, spiValue(chosen), answeredI, answeredR, shared,
                p.nonce, nr, true, espMode.get());
        if (p.kind == PendingExchange.Kind.CHILD_CREATE) {
            keeper.install(created, connection, now);
            keeper.childUp();
        } else {
            childRekeyAnswered(p, created, nr, now);
        }
    }

    /**
     * Our CHILD_SA rekey completed. Without a collision the new SA replaces the old one, which we delete (2.8). If
     * the peer rekeyed the same SA meanwhile (2.8.1), the exchange holding the lowest nonce made the redundant SA
     * and its initiator deletes it: if that is ours we never use it and delete it, and the peer deletes the old
     * one; otherwise ours becomes current, we delete the old one and the peer deletes its SA.
     */
    private void childRekeyAnswered(PendingExchange p, ChildSaInstall created, byte[] nr, long now) {
        if (p.collided() && !p.peerChildDeleted && p.losesCollision(nr)) {
            children.trackForDelete(created);
            return;
        }
        keeper.install(created, connection, now);
        if (p.collided() && children.contains(p.peerChild)) {
            children.replaced(p.peerChild);
        }
        ChildSaBook.Entry old = p.old;
        if (children.contains(old) && old.stage() != ChildSaBook.Stage.DELETING) {
            // the initiator of the surviving rekey deletes the SA it replaced; its inbound side goes with the answer
            children.deleting(old, true);
        } // else the peer deleted it meanwhile (and evidently answered us anyway, as strongSwan keeps the new SA
          // then), or it expired on our side
        keeper.armTimers();
        keeper.childUp();
    }

    /**
     * Our IKE SA rekey completed (2.18): we are the initiator of the new IKE SA and delete the old one. If the peer
     * rekeyed it too (2.8.2) and our exchange holds the lowest nonce, our new IKE SA is the redundant one: we delete
     * it, the CHILD_SAs move to the peer's and the peer deletes the old one.
     */
    private void ikeRekeyAnswered(PendingExchange p, Proposal chosen, long peerSpi, byte[] shared, byte[] nr, long now) {
        IkeSession ours = newIkeSa(true, p.ikeSpi, peerSpi, chosen, shared, p.nonce, nr);
        successors.add(ours);
        IkeSession theirs = p.collided() && !p.peerIkeSa.closed() ? p.peerIkeSa : null;
        if (theirs != null && p.losesCollision(nr)) {
            ours.superseded = true;
            ours.phase = Phase.DELETING;
            ours.transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
            giveChildrenTo(theirs, now);
            awaitPeerDelete(now);
            return;
        }
        giveChildrenTo(ours, now);
        transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
        phase = Phase.DELETING;
        if (theirs != null) {
            theirs.awaitPeerDelete(now); // the peer deletes its redundant IKE SA; it carries nothing meanwhile
        }
    }

    /**
     * Our CREATE_CHILD_SA got an error notify, or an answer we cannot accept. A rekey whose SA the peer rekeyed,
     * deleted or does not know is simply over; otherwise the SA stays until its hard lifetime, and a
     * TEMPORARY_FAILURE (2.25) is retried a little later.
     */
    private void exchangeFailed(PendingExchange p, int notify, String error, long now) {
        boolean temporary = notify == NotifyType.TEMPORARY_FAILURE;
        long retryAt = now + 10_000 + fuzz(10_000);
        switch (p.kind) {
            case IKE_REKEY -> {
                if (p.collided() && !p.peerIkeSa.closed()) {
                    // 2.8.2: the peer's rekey of this IKE SA completed: it takes over and deletes this one
                    giveChildrenTo(p.peerIkeSa, now);
                    awaitPeerDelete(now);
                    return;
                }
                lastError = error;
                if (temporary) {
                    ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY), retryAt);
                }
            }
            case CHILD_REKEY -> {
                ChildSaBook.Entry old = p.old;
                boolean stillOurs = children.contains(old) && old.live();
                if (notify == NotifyType.CHILD_SA_NOT_FOUND && children.contains(old)
                        && old.stage() != ChildSaBook.Stage.DELETING) {
                    // 2.25.1: the peer has no such CHILD_SA (any more); like strongSwan, drop it without a DELETE
                    children.forget(old);
                    if (stillOurs && !children.hasLive()) {
                        keeper.gone("peer does not know the CHILD_SA we tried to rekey", DownCause.OTHER, true, now);
                    }
                } else if (stillOurs && !p.collided()) {
                    lastError = error;
                    old.rekeyAt = temporary ? retryAt : ChildSaBook.NEVER;
                } // else the peer rekeyed it first (2.8.1) or it is being deleted (2.25.1): nothing left to do
                keeper.armTimers();
            }
            case CHILD_CREATE -> {
                if (children.hasLive()) {
                    return; // the peer created one meanwhile
                }
                if (temporary) {
                    childCreateNotBefore = retryAt;
                    ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_CREATE), retryAt);
                    return;
                }
                childWanted = false;
                state = TunnelState.PHASE2_FAILED;
                lastError = error;
                ctx.actions().stateChanged(connection.name(), TunnelState.PHASE2_FAILED, error);
            }
        }
        new DpdTask(this).arm();
    }

    /**
     * Our request window (2.3) is free: send the DELETEs waiting for it, else create the CHILD_SA we want. The
     * answer to either brings us back here.
     */
    void afterExchange(long now) {
        if (phase != Phase.ESTABLISHED || transport.outstanding() || pending != null) {
            return;
        }
        if (children.hasQueuedDeletes()) {
            new ChildDeleteTask(this).sendQueued(now);
        } else if (childWanted && !children.hasLive()) {
            startChildCreate(now);
        }
    }

    /**
     * Byte and packet lifetimes (lifebytes, lifepackets): the soft limit starts a rekey (rekey=yes), the hard one
     * expires the SA like the hard time lifetime.
     */
    void checkVolumes(long now, ChildUsage usage) {
        keeper.checkVolumes(now, usage);
    }

    /**
     * Closes this SA on our side: an established one sends the DELETE of the IKE SA (1.4.1) and removes its
     * CHILD_SA; with {@code awaitAnswer} it retransmits the DELETE until answered, otherwise (shutdown) it is
     * forgotten at once. Anything not established is simply abandoned. Reports DOWN.
     */
    void closeLocally(long now, boolean awaitAnswer) {
        new IkeDeleteTask(this).closeLocally(now, awaitAnswer);
    }

    /**
     * The peer restarted: a newer IKE SA between the same identities came with INITIAL_CONTACT (2.4). This SA and its
     * CHILD_SAs are forgotten without a DELETE; DOWN is reported only for another connection than the newer SA's,
     * which speaks for its own.
     */
    void forgetForInitialContact(String newerConnection) {
        new IkeDeleteTask(this).forgetForInitialContact(newerConnection);
    }

    /**
     * Deletes our CHILD_SA with an INFORMATIONAL DELETE of its inbound SPI (1.4.1), keeping the IKE SA.
     * Package-private for now: the daemon has no command for it yet.
     */
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
        pending = null;
        childWanted = false;
        ctx.actions().cancelTimer(timer(TimerKey.Kind.HALF_OPEN));
        ctx.actions().cancelTimer(dpdKey());
        cancelChildTimers();
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_CREATE));
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY));
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.REKEYED_LINGER));
    }

    void cancelChildTimers() {
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_REKEY));
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_EXPIRE));
    }

    void down(String reason, DownCause cause) {
        if (superseded) {
            return; // the new IKE SA speaks for the tunnel
        }
        state = TunnelState.DOWN;
        lastError = reason;
        ctx.actions().stateChanged(connection.name(), TunnelState.DOWN, reason, cause);
    }

    long fuzz(long bound) {
        if (bound <= 0) {
            return 0;
        }
        return Long.remainderUnsigned(ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong(), bound + 1);
    }

    /** Schedules the rekey of this IKE SA (rekey=yes) before ikelifetime. */
    void armIkeRekey(long now) {
        Duration lifetime = connection.ikeLifetime();
        if (!connection.rekey() || lifetime == null || lifetime.isZero() || lifetime.isNegative()) {
            return;
        }
        RekeySchedule schedule = RekeySchedule.of(lifetime, connection.margin(), connection.rekeyFuzzPercent(), this::fuzz);
        ikeRekeyAt = now + schedule.rekeyAfter().toMillis();
        ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY), ikeRekeyAt);
    }

    /** Reports a state other than DOWN for the connection and remembers it with its error. */
    void report(TunnelState newState, String error) {
        state = newState;
        lastError = error;
        ctx.actions().stateChanged(connection.name(), newState, error);
    }

    /** The attempt failed before IKE keys were usable; an initiator's failure counts against keyingtries. */
    void fail(TunnelState failed, String error) {
        cancelTimers();
        phase = Phase.CLOSED;
        state = failed;
        lastError = error;
        attemptFailed = initiator;
        if (!initiator || reportFailure) {
            ctx.actions().stateChanged(connection.name(), failed, error);
        }
    }

    void close() {
        cancelTimers();
        children.forgetAll();
        phase = Phase.CLOSED;
    }

    Identity ourIdentity(Connection c) {
        return c.left().id().isAny() ? Identity.of(local.getAddress()) : c.left().id();
    }

    private long newIkeSpi() {
        long spi = 0;
        while (spi == 0) {
            spi = ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong();
        }
        return spi;
    }

    /** ESP SPIs 0-255 are reserved (RFC 4303 2.1); strongSwan allocates from 0xc0000000 up, so do we. */
    private int newEspSpi() {
        return ByteBuffer.wrap(ctx.random().nextBytes(4)).getInt() | 0xc0000000;
    }

    private static int spiValue(SaProposal p) {
        return ByteBuffer.wrap(p.spi()).getInt();
    }

    static byte[] spiBytes(long spi) {
        return ByteBuffer.allocate(8).putLong(spi).array();
    }

    private static byte[] spiBytes32(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }

    private static <T extends Payload> List<T> only(List<Payload> payloads, Class<T> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static <T extends Payload> Optional<T> first(List<Payload> payloads, Class<T> kind) {
        return only(payloads, kind).stream().findFirst();
    }

    @Override
    public String toString() {
        return String.format("IkeSession[%s %s %016x_i %016x_r %s %s]", connection.name(), initiator ? "initiator" : "responder",
                spiI, spiR, phase, state);
    }
}
