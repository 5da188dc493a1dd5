package io.causeway.ike.v2.sa;

import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.connection.Fragmentation;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.secrets.Psk;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.ChildKeyDerivation;
import io.causeway.ike.crypto.ChildSaKeys;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.proposal.EspSuites;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.timing.RekeySchedule;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.AuthPayload;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IdPayload;
import io.causeway.ike.v2.message.IkeHeader;
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

/**
 * One IKE SA from IKE_SA_INIT to the first CHILD_SA (RFC 7296 1.2, 2.15, 2.23), as initiator or responder,
 * with pre-shared keys, and then its INFORMATIONAL exchanges (1.4, 2.4): liveness checks both ways (DPD),
 * DELETE of the CHILD_SA or the IKE SA by either side, and CREATE_CHILD_SA (1.3, 2.8, 2.17, 2.18): rekeying
 * the CHILD_SA (with PFS when the esp proposal has a DH group) and the IKE SA, as responder and, by lifetime,
 * as initiator. A rekeyed CHILD_SA is installed before the old one is removed; the old one goes with its
 * DELETE, sent by whoever started the rekey. A rekeyed IKE SA is a new session (new SPIs, message ids from 0)
 * that takes over the CHILD_SAs; the engine registers it, the old one ends quietly. Sans-IO: it reacts to
 * messages and timers and tells {@link IkeActions} what to do. Nothing thrown escapes; bad input is dropped
 * and counted, failures end in a state with a lastError.
 *
 * <p>IKE fragmentation (RFC 7383): both sides announce it in IKE_SA_INIT unless fragmentation=no; when both did
 * and ours is yes or force, an encrypted message too big for the engine's fragment size goes out as SKF fragments
 * ({@link SkProtection}); received fragments are always accepted ({@link FragmentInbox}). Not yet: smaller
 * fragments after unanswered retransmissions (RFC 7383 2.5.2). A responder that got no IKE_AUTH within the
 * half-open timeout forgets the SA. INITIAL_CONTACT is sent as initiator when no other SA with the peer exists
 * and honoured in both roles ({@link InitialContact}).
 *
 * <p>Not yet: new CHILD_SAs by CREATE_CHILD_SA (refused with NO_ADDITIONAL_SAS), the nonce rule for
 * simultaneous rekeys (2.8.1; a peer rekey colliding with ours is answered TEMPORARY_FAILURE), byte and
 * packet lifetimes.
 */
public final class IkeSession {
    static final int NONCE_BYTES = 32;
    static final int NAT_T_PORT = 4500;
    /** How many COOKIE answers an initiator follows before it gives the attempt up (RFC 7296 2.6). */
    static final int MAX_COOKIE_ROUNDS = 5;
    private static final byte[] NO_SPI = new byte[0];

    /**
     * DELETING: our DELETE of the IKE SA is out and we wait for its answer (retransmitting) before forgetting it.
     * REKEYED: the peer rekeyed this IKE SA (2.18), its CHILD_SAs moved to the new one; we wait for the peer's
     * DELETE of this one.
     */
    private enum Phase { NEW, INIT_SENT, AUTH_SENT, INIT_ANSWERED, ESTABLISHED, DELETING, REKEYED, CLOSED }

    /** Our outstanding CREATE_CHILD_SA: a rekey of the CHILD_SA or of the IKE SA (RFC 7296 1.3.2, 1.3.3). */
    private static final class PendingRekey {
        final boolean ike;
        /** For a CHILD_SA rekey: the CHILD_SA being replaced. */
        final ChildSaInstall old;
        /** For a CHILD_SA rekey: our inbound SPI of the new CHILD_SA. */
        final int inboundSpi;
        /** For an IKE SA rekey: our SPI of the new IKE SA (we become its initiator). */
        final long ikeSpi;
        final byte[] nonce;
        int group;
        DhKeyPair dh;
        boolean retriedGroup;

        PendingRekey(boolean ike, ChildSaInstall old, int inboundSpi, long ikeSpi, byte[] nonce, int group) {
            this.ike = ike;
            this.old = old;
            this.inboundSpi = inboundSpi;
            this.ikeSpi = ikeSpi;
            this.nonce = nonce;
            this.group = group;
        }
    }

    private final EngineContext ctx;
    private final boolean initiator;
    private final List<Connection> candidates;
    private Connection connection;
    private InetSocketAddress local;
    private InetSocketAddress remote;
    private final long spiI;
    private long spiR;
    private Phase phase = Phase.NEW;
    private TunnelState state = TunnelState.CONNECTING;
    private String lastError;

    private int dhGroupId;
    private DhKeyPair dh;
    private byte[] cookie;
    private int cookieRounds;
    private byte[] nonceI;
    private byte[] nonceR;
    private byte[] initRequest;
    private byte[] initResponse;
    private IkeSuite suite;
    private Proposal ikeProposal;
    private IkeSaKeys keys;
    private SkProtection sk;
    private boolean nat;
    private int childInboundSpi;
    private ChildSaInstall child;
    /** CHILD_SAs the peer replaced by rekeying; still installed until the peer deletes them (1.4.1, 2.8). */
    private final List<ChildSaInstall> oldChildren = new ArrayList<>();
    /** CHILD_SAs we replaced by rekeying and whose DELETE we sent; removed when it is answered. */
    private final List<ChildSaInstall> deletingChildren = new ArrayList<>();
    private PendingRekey pending;
    /** When the CHILD_SA is rekeyed and when it expires (millis), or Long.MIN_VALUE when not scheduled. */
    private long childRekeyAt = Long.MIN_VALUE;
    private long childExpireAt = Long.MIN_VALUE;
    /** The IKE SA that replaced this one, until the engine has taken it. */
    private IkeSession successor;
    /** This IKE SA was replaced by a rekey: it ends quietly, without touching the tunnel. */
    private boolean superseded;
    /** The IKE SA that replaced this one, kept for DELETEs of replaced CHILD_SAs still arriving here. */
    private IkeSession replacedBy;

    /** RFC 7383: both sides announced fragmentation and ours may send fragments (fragmentation=yes or force). */
    private boolean sendFragments;
    private final FragmentInbox fragments = new FragmentInbox();
    /** The peer's identity once IKE_AUTH authenticated it. */
    private Identity authenticatedPeer;
    /** The peer sent INITIAL_CONTACT in IKE_AUTH and the engine has not acted on it yet (2.4). */
    private boolean initialContact;

    private final RetransmitState retransmit;
    private final ResponseCache responses = new ResponseCache();
    private long expectedRequestId;
    /** Message id of our next request once IKE_AUTH is done: 2 for the initiator, 0 for the responder (2.2). */
    private long nextRequestId;
    /** When the last authenticated IKE message from the peer arrived (millis, the engine's clock). */
    private long lastInbound = Long.MIN_VALUE;
    /** Whether a failure of this initiated attempt is reported; false for attempts the engine will retry. */
    private boolean reportFailure = true;
    /** An initiated attempt failed before its CHILD_SA was up: the engine counts it against keyingtries. */
    private boolean attemptFailed;
    /** dpdaction=restart or closeaction=restart: the engine initiates the connection again once this SA is gone. */
    private boolean restartWanted;
    /** We closed it (close/closeAll): no keying retry, no restart. */
    private boolean closedLocally;

    private IkeSession(EngineContext ctx, boolean initiator, List<Connection> candidates, long spiI,
                       InetSocketAddress local, InetSocketAddress remote) {
        this.ctx = ctx;
        this.initiator = initiator;
        this.candidates = List.copyOf(candidates);
        this.connection = candidates.get(0);
        this.spiI = spiI;
        this.local = local;
        this.remote = remote;
        this.retransmit = new RetransmitState(ctx.schedule());
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
        return Optional.ofNullable(child);
    }

    /** The IKE proposal both sides agreed on, once IKE_SA_INIT is done. */
    public Optional<Proposal> ikeProposal() {
        return Optional.ofNullable(ikeProposal);
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

    private TimerKey halfOpenKey() {
        return new TimerKey(localSpi(), TimerKey.Kind.HALF_OPEN);
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

    /** Sends the IKE_SA_INIT request: SA, KE of the first proposal's first group, Ni, NAT-D, fragmentation. */
    public void startInitiator(long now) {
        if (!initiator || phase != Phase.NEW) {
            return;
        }
        try {
            Proposal first = connection.ike().get(0);
            if (first.dhGroups().isEmpty()) {
                fail(TunnelState.PHASE1_FAILED, "ike proposal " + first + " has no DH group");
                return;
            }
            dhGroupId = first.dhGroups().get(0).ianaId();
            nonceI = ctx.random().nextBytes(NONCE_BYTES);
            ctx.actions().stateChanged(connection.name(), TunnelState.CONNECTING, null);
            sendInitRequest(now);
        } catch (RuntimeException e) {
            fail(TunnelState.PHASE1_FAILED, "cannot start IKE_SA_INIT: " + e.getMessage());
        }
    }

    private void sendInitRequest(long now) {
        if (dh == null) {
            dh = DhGroup.forId(dhGroupId).generate(ctx.random()); // 2.6: a cookie round resends the same KE
        }
        List<Payload> payloads = new ArrayList<>();
        if (cookie != null) {
            payloads.add(NotifyPayload.of(NotifyType.COOKIE, cookie)); // RFC 7296 2.6: COOKIE comes first
        }
        payloads.add(SaPayload.of(connection.ike(), NO_SPI));
        payloads.add(new KePayload(dhGroupId, dh.publicValue()));
        payloads.add(new NoncePayload(nonceI));
        List<NotifyPayload> natd = NatDetector.notifies(spiBytes(spiI), spiBytes(0), local, remote);
        if (connection.forceEncaps()) {
            // like strongSwan: a source hash that cannot match makes the peer see a NAT and move to 4500
            natd = List.of(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, ctx.random().nextBytes(20)), natd.get(1));
        }
        payloads.addAll(natd);
        if (connection.fragmentation() != Fragmentation.NO) {
            payloads.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)); // RFC 7383 2.3
        }
        initRequest = IkeMessage.of(IkeHeader.of(spiI, 0, ExchangeType.IKE_SA_INIT, true, false, 0), payloads).bytes();
        phase = Phase.INIT_SENT;
        sendRequest(List.of(initRequest), 0, now);
    }

    private void onInitResponse(IkeMessage m, long now) {
        if (m.header().exchangeType() != ExchangeType.IKE_SA_INIT) {
            ctx.drops().drop();
            return;
        }
        Optional<NotifyPayload> cookieNotify = m.notifies(NotifyType.COOKIE).stream().findFirst();
        if (cookieNotify.isPresent()) {
            answered();
            if (++cookieRounds > MAX_COOKIE_ROUNDS) {
                fail(TunnelState.PHASE1_FAILED, "peer kept answering IKE_SA_INIT with a new COOKIE");
                return;
            }
            cookie = cookieNotify.get().data(); // 2.6: the same request again, the cookie first
            sendInitRequest(now);
            return;
        }
        for (NotifyPayload n : m.all(NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.INVALID_KE_PAYLOAD) {
                retryWithGroup(n, now);
                return;
            }
            if (n.notifyType() == NotifyType.NO_PROPOSAL_CHOSEN) {
                fail(TunnelState.PHASE1_FAILED, "peer answered NO_PROPOSAL_CHOSEN to IKE_SA_INIT: we offered ike="
                        + Proposal.format(connection.ike()));
                return;
            }
            if (n.isError()) {
                fail(TunnelState.PHASE1_FAILED, "peer answered " + NotifyType.name(n.notifyType()) + " to IKE_SA_INIT");
                return;
            }
        }
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<KePayload> ke = m.first(KePayload.class);
        Optional<NoncePayload> nonce = m.first(NoncePayload.class);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty() || m.header().responderSpi() == 0) {
            ctx.drops().drop();
            return;
        }
        answered();
        Optional<Proposal> chosen = sa.get().proposals().size() == 1 ? sa.get().proposals().get(0).toConf() : Optional.empty();
        if (chosen.isEmpty() || !ProposalSelector.accepts(connection.ike(), chosen.get(), false)
                || chosen.get().dhGroups().size() != 1 || chosen.get().dhGroups().get(0).ianaId() != dhGroupId
                || ke.get().dhGroup() != dhGroupId) {
            fail(TunnelState.PHASE1_FAILED, "peer chose an IKE proposal we did not offer: " + sa.get());
            return;
        }
        spiR = m.header().responderSpi();
        nonceR = nonce.get().nonce();
        initResponse = m.bytes();
        if (!deriveIkeKeys(chosen.get(), ke.get())) {
            fail(TunnelState.PHASE1_FAILED, "peer sent an invalid DH public value in IKE_SA_INIT");
            return;
        }
        nat = NatDetector.natDetected(m, spiBytes(spiI), spiBytes(spiR), local, remote) || connection.forceEncaps();
        sendFragments = sendsFragments(connection) && !m.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isEmpty();
        if (nat) {
            // RFC 7296 2.23: after NAT is detected the initiator moves to port 4500 for IKE_AUTH and later
            local = new InetSocketAddress(local.getAddress(), NAT_T_PORT);
            remote = new InetSocketAddress(remote.getAddress(), NAT_T_PORT);
        }
        sendAuthRequest(now);
    }

    private void retryWithGroup(NotifyPayload n, long now) {
        int wanted = n.invalidKeGroup().orElse(-1);
        boolean offered = connection.ike().stream().flatMap(p -> p.dhGroups().stream()).anyMatch(a -> a.ianaId() == wanted);
        if (!offered || wanted == dhGroupId || DhGroup.lookup(wanted).isEmpty()) {
            fail(TunnelState.PHASE1_FAILED, "peer answered INVALID_KE_PAYLOAD asking for DH group " + wanted
                    + ", which we do not offer (ike=" + Proposal.format(connection.ike()) + ")");
            return;
        }
        answered();
        dhGroupId = wanted; // RFC 7296 1.3: same SPI and nonce, new KE
        dh = null;
        sendInitRequest(now);
    }

    // ---------------------------------------------------------------- initiator: IKE_AUTH (RFC 7296 1.2, 2.15)

    private void sendAuthRequest(long now) {
        Identity ourId = ourIdentity(connection);
        Optional<Psk> psk = ctx.secrets().lookup(ourId, connection.right().id());
        if (psk.isEmpty()) {
            fail(TunnelState.PHASE1_FAILED, "no PSK in ipsec.secrets for " + ourId + " and " + connection.right().id());
            return;
        }
        IdPayload idi = IdPayload.of(true, ourId);
        AuthPayload auth = PskAuthenticator.sign(suite.prf(), psk.get(), initRequest, nonceR, idi, keys.skPi());
        childInboundSpi = newEspSpi();
        List<Payload> inner = new ArrayList<>();
        inner.add(idi);
        if (!ctx.otherSaWithPeer().test(this)) {
            inner.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT)); // 3.10.1: only when this is the only SA
        }
        if (!connection.right().id().isAny()) {
            inner.add(IdPayload.of(false, connection.right().id()));
        }
        inner.add(auth);
        inner.add(SaPayload.of(connection.esp(), spiBytes32(childInboundSpi)));
        inner.add(TrafficSelectorNarrowing.payload(true, TrafficSelectorNarrowing.selectorsOf(localSubnets(connection))));
        inner.add(TrafficSelectorNarrowing.payload(false, TrafficSelectorNarrowing.selectorsOf(remoteSubnets(connection))));
        List<byte[]> request = protect(IkeHeader.of(spiI, spiR, ExchangeType.IKE_AUTH, true, false, 1), inner);
        phase = Phase.AUTH_SENT;
        sendRequest(request, 1, now);
    }

    private void onAuthResponse(IkeMessage m, long now) {
        List<Payload> inner = unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        answered();
        List<NotifyPayload> notifies = only(inner, NotifyPayload.class);
        Optional<IdPayload> idr = first(inner, IdPayload.class);
        Optional<AuthPayload> auth = first(inner, AuthPayload.class);
        if (notifies.stream().anyMatch(n -> n.notifyType() == NotifyType.AUTHENTICATION_FAILED)) {
            fail(TunnelState.PHASE1_FAILED, "peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids");
            return;
        }
        if (idr.isEmpty() || auth.isEmpty()) {
            String error = notifies.stream().filter(NotifyPayload::isError).map(n -> NotifyType.name(n.notifyType()))
                    .findFirst().orElse("a message without IDr and AUTH");
            fail(TunnelState.PHASE1_FAILED, "peer answered " + error + " to IKE_AUTH");
            return;
        }
        Optional<Identity> peerId = idr.get().toIdentity();
        Identity expected = connection.right().id();
        if (peerId.isEmpty() || (!expected.isAny() && !expected.sameAs(peerId.get()))) {
            fail(TunnelState.PHASE1_FAILED, "peer identified as " + peerId.map(Identity::toString).orElse(idr.get().toString())
                    + ", expected rightid=" + expected);
            return;
        }
        Psk psk = ctx.secrets().lookup(ourIdentity(connection), peerId.get()).orElse(null);
        if (psk == null || !PskAuthenticator.verify(suite.prf(), psk, initResponse, nonceI, idr.get(), keys.skPr(), auth.get())) {
            fail(TunnelState.PHASE1_FAILED, "peer's AUTH does not verify: check the pre-shared key and both ids");
            return;
        }
        // the IKE SA is authenticated: from here on a failed CHILD_SA means deleting the IKE SA (1.2, 2.21.2)
        authenticated(peerId.get(), notifies);
        nextRequestId = 2;
        lastInbound = now;
        Optional<NotifyPayload> childError = notifies.stream().filter(NotifyPayload::isError).findFirst();
        if (childError.isPresent()) {
            int type = childError.get().notifyType();
            String detail = switch (type) {
                case NotifyType.NO_PROPOSAL_CHOSEN -> ": we offered esp=" + Proposal.format(connection.esp());
                case NotifyType.TS_UNACCEPTABLE -> ": we proposed " + localSubnets(connection) + " === "
                        + remoteSubnets(connection);
                default -> "";
            };
            failChild(now, "peer answered " + NotifyType.name(type) + " for the CHILD_SA" + detail);
            return;
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        if (sa.isEmpty() || tsi.isEmpty() || tsr.isEmpty() || sa.get().proposals().size() != 1) {
            failChild(now, "peer's IKE_AUTH response has no single SA and TSi/TSr for the CHILD_SA");
            return;
        }
        SaProposal chosen = sa.get().proposals().get(0);
        Optional<Proposal> chosenConf = chosen.toConf();
        if (chosen.spi().length != 4 || chosenConf.isEmpty() || !ProposalSelector.accepts(connection.esp(), chosenConf.get(), true)) {
            failChild(now, "peer chose an ESP proposal we did not offer: " + chosen);
            return;
        }
        List<AddressRangeSelector> ourTsi = TrafficSelectorNarrowing.selectorsOf(localSubnets(connection));
        List<AddressRangeSelector> ourTsr = TrafficSelectorNarrowing.selectorsOf(remoteSubnets(connection));
        if (!TrafficSelectorNarrowing.within(tsi.get().addressRanges(), ourTsi)
                || !TrafficSelectorNarrowing.within(tsr.get().addressRanges(), ourTsr)) {
            failChild(now, "peer answered traffic selectors outside ours: " + tsi.get() + " " + tsr.get());
            return;
        }
        phase = Phase.ESTABLISHED;
        install(chosenConf.get(), childInboundSpi, spiValue(chosen), tsi.get().addressRanges(), tsr.get().addressRanges(),
                now);
    }

    // ---------------------------------------------------------------- responder

    private void onRequest(IkeMessage m, IkeDatagram d, long now) {
        long id = m.header().messageId();
        List<byte[]> cached = responses.answerFor(id, m.bytes());
        if (cached != null) {
            // RFC 7296 2.1: a retransmitted request is answered with the same response, not processed again
            resend(cached, d);
            return;
        }
        if (id != expectedRequestId) {
            ctx.drops().drop();
            return;
        }
        int exchange = m.header().exchangeType();
        if (!initiator && phase == Phase.NEW && exchange == ExchangeType.IKE_SA_INIT && id == 0) {
            onInitRequest(m, d, now);
        } else if (!initiator && phase == Phase.INIT_ANSWERED && exchange == ExchangeType.IKE_AUTH && id == 1) {
            onAuthRequest(m, d, now);
        } else if ((phase == Phase.ESTABLISHED || phase == Phase.DELETING || phase == Phase.REKEYED)
                && exchange == ExchangeType.INFORMATIONAL) {
            onInformationalRequest(m, d, now);
        } else if ((phase == Phase.ESTABLISHED || phase == Phase.REKEYED) && exchange == ExchangeType.CREATE_CHILD_SA) {
            onCreateChildSaRequest(m, d, now);
        } else {
            ctx.drops().drop();
        }
    }

    private void onInitRequest(IkeMessage m, IkeDatagram d, long now) {
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<KePayload> ke = m.first(KePayload.class);
        Optional<NoncePayload> nonce = m.first(NoncePayload.class);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty()) {
            ctx.drops().drop();
            close();
            return;
        }
        ProposalMatch match = null;
        for (Connection c : candidates) {
            match = ProposalMatch.pick(c.ike(), sa.get(), false).orElse(null);
            if (match != null) {
                connection = c;
                break;
            }
        }
        if (match == null) {
            sendStatelessError(m, d, NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            String offered = sa.get().proposals().stream().map(p -> p.toConf().map(Proposal::toString).orElse(p.toString()))
                    .toList().toString();
            fail(TunnelState.PHASE1_FAILED, "peer " + IpLiteral.format(d.remote().getAddress()) + " offered ike=" + offered
                    + ", none matches ours (ike=" + Proposal.format(connection.ike()) + "); answered NO_PROPOSAL_CHOSEN");
            return;
        }
        match = match.preferringGroup(ke.get().dhGroup());
        if (match.dhGroup() != ke.get().dhGroup()) {
            // RFC 7296 1.3: tell the initiator which group we want; keep no state
            sendStatelessError(m, d, NotifyPayload.invalidKePayload(match.dhGroup()));
            close();
            return;
        }
        spiR = newIkeSpi();
        dhGroupId = match.dhGroup();
        dh = DhGroup.forId(dhGroupId).generate(ctx.random());
        nonceI = nonce.get().nonce();
        nonceR = ctx.random().nextBytes(NONCE_BYTES);
        initRequest = m.bytes();
        local = d.local();
        remote = d.remote();
        if (!deriveIkeKeys(match.chosen(), ke.get())) {
            ctx.drops().drop();
            close();
            return;
        }
        nat = NatDetector.natDetected(m, spiBytes(spiI), spiBytes(0), local, remote);
        List<Payload> payloads = new ArrayList<>();
        payloads.add(SaPayload.chosen(match.offered().number(), match.chosen(), NO_SPI));
        payloads.add(new KePayload(dhGroupId, dh.publicValue()));
        payloads.add(new NoncePayload(nonceR));
        payloads.addAll(NatDetector.notifies(spiBytes(spiI), spiBytes(spiR), local, remote));
        // RFC 7383 2.3: announced only to an initiator that announced it
        boolean fragmentation = !m.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isEmpty()
                && connection.fragmentation() != Fragmentation.NO;
        if (fragmentation) {
            payloads.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
        sendFragments = fragmentation && sendsFragments(connection);
        initResponse = IkeMessage.of(IkeHeader.of(spiI, spiR, ExchangeType.IKE_SA_INIT, false, true, 0), payloads).bytes();
        sendResponse(m, List.of(initResponse));
        phase = Phase.INIT_ANSWERED;
        ctx.actions().setTimer(halfOpenKey(), now + ctx.settings().halfOpenTimeoutMillis());
    }

    /** strongSwan's fragmentation=accept announces support but sends no fragments; yes and force send them. */
    private static boolean sendsFragments(Connection c) {
        return c.fragmentation() == Fragmentation.YES || c.fragmentation() == Fragmentation.FORCE;
    }

    private void onAuthRequest(IkeMessage m, IkeDatagram d, long now) {
        List<Payload> inner = unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        // RFC 7296 2.23: an authentic message tells where the peer is now (it may have moved to 4500 behind a NAT)
        local = d.local();
        remote = d.remote();
        Optional<IdPayload> idi = first(inner, IdPayload.class).filter(IdPayload::initiator);
        Optional<IdPayload> idr = only(inner, IdPayload.class).stream().filter(i -> !i.initiator()).findFirst();
        Optional<AuthPayload> auth = first(inner, AuthPayload.class);
        Optional<Identity> peerId = idi.flatMap(IdPayload::toIdentity);
        Optional<Identity> wantedId = idr.flatMap(IdPayload::toIdentity);
        Connection found = null;
        for (Connection c : candidates) {
            boolean peerOk = peerId.isPresent() && (c.right().id().isAny() || c.right().id().sameAs(peerId.get()));
            boolean usOk = wantedId.isEmpty() || c.left().id().isAny() || c.left().id().sameAs(wantedId.get());
            boolean ikeOk = ProposalSelector.accepts(c.ike(), ikeProposal, false);
            if (peerOk && usOk && ikeOk) {
                found = c;
                break;
            }
        }
        Psk psk = found == null ? null : ctx.secrets().lookup(ourIdentity(found), peerId.get()).orElse(null);
        if (found == null || auth.isEmpty() || psk == null
                || !PskAuthenticator.verify(suite.prf(), psk, initRequest, nonceR, idi.get(), keys.skPi(), auth.get())) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)));
            fail(TunnelState.PHASE1_FAILED, "peer " + IpLiteral.format(remote.getAddress()) + " (id "
                    + peerId.map(Identity::toString).orElse("unknown") + ") failed PSK authentication;"
                    + " answered AUTHENTICATION_FAILED: check the pre-shared key and both ids");
            return;
        }
        final Connection chosen = found;
        connection = chosen;
        authenticated(peerId.get(), only(inner, NotifyPayload.class));
        IdPayload ourId = IdPayload.of(false, ourIdentity(chosen));
        AuthPayload ourAuth = PskAuthenticator.sign(suite.prf(), psk, initResponse, nonceI, ourId, keys.skPr());
        List<Payload> response = new ArrayList<>(List.of(ourId, ourAuth));
        phase = Phase.ESTABLISHED;
        lastInbound = now;

        Optional<SaPayload> sa = first(inner, SaPayload.class);
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        Optional<ProposalMatch> esp = sa.flatMap(s -> ProposalMatch.pick(chosen.esp(), s, true))
                .filter(p -> p.offered().spi().length == 4 && p.offered().protocolId() == SaProposal.PROTOCOL_ESP);
        if (esp.isEmpty()) {
            response.add(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            sendProtectedResponse(m, response);
            childFailedAsResponder("peer's ESP proposals match none of ours (esp=" + Proposal.format(chosen.esp())
                    + "); answered NO_PROPOSAL_CHOSEN");
            return;
        }
        List<AddressRangeSelector> narrowedI = tsi.map(t -> TrafficSelectorNarrowing.narrow(t.addressRanges(),
                remoteSubnets(chosen))).orElse(List.of());
        List<AddressRangeSelector> narrowedR = tsr.map(t -> TrafficSelectorNarrowing.narrow(t.addressRanges(),
                localSubnets(chosen))).orElse(List.of());
        if (narrowedI.isEmpty() || narrowedR.isEmpty()) {
            response.add(NotifyPayload.of(NotifyType.TS_UNACCEPTABLE));
            sendProtectedResponse(m, response);
            childFailedAsResponder("peer's traffic selectors " + tsi.map(Object::toString).orElse("TSi[]") + " "
                    + tsr.map(Object::toString).orElse("TSr[]") + " do not overlap ours (" + localSubnets(chosen)
                    + " === " + remoteSubnets(chosen) + "); answered TS_UNACCEPTABLE");
            return;
        }
        childInboundSpi = newEspSpi();
        response.add(SaPayload.chosen(esp.get().offered().number(), esp.get().chosen(), spiBytes32(childInboundSpi)));
        response.add(TrafficSelectorNarrowing.payload(true, narrowedI));
        response.add(TrafficSelectorNarrowing.payload(false, narrowedR));
        sendProtectedResponse(m, response);
        install(esp.get().chosen(), childInboundSpi, spiValue(esp.get().offered()), narrowedR, narrowedI, now);
    }

    private void sendStatelessError(IkeMessage request, IkeDatagram d, NotifyPayload error) {
        // RFC 7296 2.6: an IKE_SA_INIT error answer carries no responder SPI and creates no state
        byte[] bytes = IkeMessage.of(IkeHeader.of(spiI, 0, ExchangeType.IKE_SA_INIT, false, true, 0), List.of(error)).bytes();
        ctx.actions().send(new IkeDatagram(bytes, d.local(), d.remote()));
    }

    private void sendProtectedResponse(IkeMessage request, List<? extends Payload> inner) {
        IkeHeader header = IkeHeader.of(spiI, spiR, request.header().exchangeType(), initiator, true,
                request.header().messageId());
        sendResponse(request, protect(header, inner));
    }

    private void sendResponse(IkeMessage request, List<byte[]> response) {
        responses.remember(request.header().messageId(), request.bytes(), response);
        expectedRequestId = request.header().messageId() + 1;
        for (byte[] datagram : response) {
            ctx.actions().send(new IkeDatagram(datagram, local, remote));
        }
    }

    private void resend(List<byte[]> response, IkeDatagram request) {
        for (byte[] datagram : response) {
            ctx.actions().send(new IkeDatagram(datagram, request.local(), request.remote()));
        }
    }

    /** Encrypts a message of this SA: one SK message, or SKF fragments when it would not fit (RFC 7383 2.5). */
    private List<byte[]> protect(IkeHeader header, List<? extends Payload> inner) {
        return sk.protect(header, inner, sendFragments ? ctx.settings().maxMessageLength(local, remote) : Integer.MAX_VALUE);
    }

    /**
     * An SKF fragment (RFC 7383 2.6) of a message this SA expects: the whole message once its last fragment is in,
     * else null. A retransmitted request is answered again on its first fragment, once that is authentic (2.6.1).
     */
    private IkeMessage reassemble(IkeMessage m, IkeDatagram d, long now) {
        long id = m.header().messageId();
        boolean response = m.header().response();
        boolean retransmitted = !response && responses.isLast(id);
        if (sk == null || (response ? !retransmit.pending() || id != retransmit.messageId()
                : !retransmitted && id != expectedRequestId)) {
            ctx.drops().drop();
            return null;
        }
        if (retransmitted) {
            if (m.skf().orElseThrow().fragmentNumber() == 1 && fragments.authentic(m, sk)) {
                resend(responses.last(), d);
            }
            return null;
        }
        return fragments.offer(m, sk, ctx.drops(), now);
    }

    /** IKE_AUTH authenticated the peer (either role): the half-open time is over; remember INITIAL_CONTACT (2.4). */
    private void authenticated(Identity peer, List<NotifyPayload> notifies) {
        ctx.actions().cancelTimer(halfOpenKey());
        authenticatedPeer = peer;
        initialContact = notifies.stream().anyMatch(n -> n.notifyType() == NotifyType.INITIAL_CONTACT);
    }

    // ---------------------------------------------------------------- both roles

    /** A decoded message for this SA; d gives the addresses it came in on. */
    public void receive(IkeMessage m, IkeDatagram d, long now) {
        if (phase == Phase.CLOSED) {
            ctx.drops().drop();
            return;
        }
        try {
            if (m.skf().isPresent() && (m = reassemble(m, d, now)) == null) {
                return;
            }
            if (m.header().response()) {
                if (!retransmit.pending() || m.header().messageId() != retransmit.messageId()) {
                    ctx.drops().drop();
                } else if (initiator && phase == Phase.INIT_SENT) {
                    onInitResponse(m, now);
                } else if (initiator && phase == Phase.AUTH_SENT) {
                    onAuthResponse(m, now);
                } else if (pending != null && m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA) {
                    onCreateChildSaResponse(m, now);
                } else if (phase == Phase.ESTABLISHED || phase == Phase.DELETING || phase == Phase.REKEYED) {
                    onInformationalResponse(m, now);
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
                onDpdTimer(now);
                return;
            }
            case CHILD_REKEY -> {
                startChildRekey(now);
                return;
            }
            case CHILD_EXPIRE -> {
                childExpired(now);
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
        if (key.kind() != TimerKey.Kind.RETRANSMIT || !retransmit.pending()) {
            return;
        }
        if (retransmit.exhausted()) {
            int tries = retransmit.retransmissions();
            answered();
            if (phase == Phase.ESTABLISHED) {
                deadPeer();
            } else if (phase == Phase.DELETING || phase == Phase.REKEYED) {
                close(); // our DELETE went unanswered: the SA is gone on our side anyway (2.4)
            } else {
                fail(TunnelState.PHASE1_FAILED, "no answer from " + IpLiteral.format(remote.getAddress()) + " after "
                        + tries + " retransmissions");
            }
            return;
        }
        retransmit.outstanding().forEach(ctx.actions()::send);
        ctx.actions().setTimer(retransmitKey(), retransmit.resent(now));
    }

    // ---------------------------------------------------------------- INFORMATIONAL (RFC 7296 1.4, 2.4)

    /**
     * A request of the peer on an established SA: an empty one is a liveness check, answered empty; DELETEs
     * remove CHILD_SAs (answered with the DELETE of our inbound SPIs, 1.4.1) or the IKE SA (answered empty);
     * any other notify is answered empty.
     */
    private void onInformationalRequest(IkeMessage m, IkeDatagram d, long now) {
        List<Payload> inner = unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        lastInbound = now;
        boolean ikeDeleted = false;
        boolean currentDeleted = false;
        List<Integer> ourInbound = new ArrayList<>();
        for (DeletePayload delete : only(inner, DeletePayload.class)) {
            if (delete.protocolId() == SaProposal.PROTOCOL_IKE) {
                ikeDeleted = true;
            } else if (delete.protocolId() == SaProposal.PROTOCOL_ESP && delete.spiSize() == 4) {
                for (int peerInbound : delete.spisAsInts()) {
                    // the peer names the SPIs it receives on: our outbound SPIs
                    if (child != null && child.outboundSpi() == peerInbound) {
                        ourInbound.add(child.inboundSpi());
                        removeChild();
                        currentDeleted = true;
                    } else {
                        // a CHILD_SA replaced by a rekey: the new one carries the traffic already (2.8)
                        IkeSession owner = this;
                        ChildSaInstall old = replaced(peerInbound);
                        if (old == null && replacedBy != null) {
                            owner = replacedBy; // they moved with an IKE SA rekey (2.18)
                            old = replacedBy.replaced(peerInbound);
                        }
                        if (old != null) {
                            ourInbound.add(old.inboundSpi());
                            owner.removeReplaced(old);
                        }
                    }
                }
            }
        }
        if (ikeDeleted) {
            // 1.4.1: deleting the IKE SA deletes its CHILD_SAs; the answer is empty
            sendProtectedResponse(m, List.of());
            removeChild();
            cancelTimers();
            phase = Phase.CLOSED;
            if (superseded) {
                return; // the old IKE SA of a rekey: its CHILD_SAs live on in the new one (2.18)
            }
            if (state != TunnelState.PHASE1_FAILED && state != TunnelState.PHASE2_FAILED) {
                down("peer deleted the IKE SA");
            } // an SA whose CHILD_SA already failed keeps its failure and error for the console
            restartWanted = connection.closeAction() == CloseAction.RESTART;
            return;
        }
        List<Payload> response = new ArrayList<>();
        if (!ourInbound.isEmpty()) {
            response.add(DeletePayload.esp(ourInbound.stream().mapToInt(Integer::intValue).toArray()));
        }
        sendProtectedResponse(m, response);
        if (currentDeleted) {
            ctx.actions().cancelTimer(dpdKey());
            down("peer deleted the CHILD_SA");
        }
    }

    // ---------------------------------------------------------------- CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.18)

    /**
     * A CREATE_CHILD_SA request of the peer: the rekey of a CHILD_SA (N(REKEY_SA), 1.3.3) or of the IKE SA
     * (an IKE proposal, 1.3.2) is answered and carried out; a new CHILD_SA is refused with NO_ADDITIONAL_SAS.
     */
    private void onCreateChildSaRequest(IkeMessage m, IkeDatagram d, long now) {
        List<Payload> inner = unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        lastInbound = now;
        if (phase != Phase.ESTABLISHED) {
            // this IKE SA was replaced: the peer must use the new one
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        Optional<NoncePayload> nonce = first(inner, NoncePayload.class);
        Optional<KePayload> ke = first(inner, KePayload.class);
        Optional<NotifyPayload> rekey = only(inner, NotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.REKEY_SA).findFirst();
        if (sa.isEmpty() || nonce.isEmpty()) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            return;
        }
        boolean ikeRekey = rekey.isEmpty()
                && sa.get().proposals().stream().anyMatch(p -> p.protocolId() == SaProposal.PROTOCOL_IKE);
        if (ikeRekey) {
            onIkeRekeyRequest(m, sa.get(), nonce.get(), ke, now);
            return;
        }
        if (rekey.isEmpty()) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.NO_ADDITIONAL_SAS)));
            return;
        }
        onChildRekeyRequest(m, inner, rekey.get(), sa.get(), nonce.get(), ke, now);
    }

    private void onChildRekeyRequest(IkeMessage m, List<Payload> inner, NotifyPayload rekey, SaPayload sa,
                                     NoncePayload nonce, Optional<KePayload> ke, long now) {
        // 1.3.3: the SPI is the one the peer receives on (our outbound); accept our inbound SPI as well
        int rekeyedSpi = rekey.spi().length == 4 ? ByteBuffer.wrap(rekey.spi()).getInt() : 0;
        ChildSaInstall old = child != null && rekey.protocolId() == SaProposal.PROTOCOL_ESP && rekey.spi().length == 4
                && (child.outboundSpi() == rekeyedSpi || child.inboundSpi() == rekeyedSpi) ? child : null;
        if (old == null) {
            sendProtectedResponse(m, List.of(new NotifyPayload(rekey.protocolId(), rekey.spi(), NotifyType.CHILD_SA_NOT_FOUND,
                    new byte[0])));
            return;
        }
        if (pending != null && !pending.ike && pending.old == old) {
            // 2.8.1: a simultaneous rekey of the same CHILD_SA; both complete, the redundant one is deleted by
            // whoever created it. Not handled yet: ask the peer to retry later so only ours completes.
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        Optional<ProposalMatch> picked = ProposalMatch.pick(connection.esp(), sa, false)
                .filter(p -> p.offered().spi().length == 4 && p.offered().protocolId() == SaProposal.PROTOCOL_ESP);
        if (picked.isEmpty()) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            return;
        }
        ProposalMatch match = picked.get();
        int group = match.dhGroup();
        if (group != -1) {
            if (ke.isPresent()) {
                match = match.preferringGroup(ke.get().dhGroup());
                group = match.dhGroup();
            }
            if (ke.isEmpty() || ke.get().dhGroup() != group || DhGroup.lookup(group).isEmpty()) {
                // 1.3: tell the initiator which group we want for PFS
                sendProtectedResponse(m, List.of(NotifyPayload.invalidKePayload(group)));
                return;
            }
        }
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        List<AddressRangeSelector> narrowedI = tsi.map(t -> TrafficSelectorNarrowing.narrow(t.addressRanges(),
                old.remoteSelectors())).orElse(List.of());
        List<AddressRangeSelector> narrowedR = tsr.map(t -> TrafficSelectorNarrowing.narrow(t.addressRanges(),
                old.localSelectors())).orElse(List.of());
        if (narrowedI.isEmpty() || narrowedR.isEmpty()) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TS_UNACCEPTABLE)));
            return;
        }
        byte[] nr = ctx.random().nextBytes(NONCE_BYTES);
        byte[] shared = null;
        DhKeyPair ours = null;
        if (group != -1) {
            ours = DhGroup.forId(group).generate(ctx.random());
            try {
                shared = ours.sharedSecret(ke.get().keyData());
            } catch (InvalidPeerKeyException e) {
                sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
                return;
            }
        }
        int inboundSpi = newEspSpi();
        List<Payload> response = new ArrayList<>();
        response.add(SaPayload.chosen(match.offered().number(), match.chosen(), spiBytes32(inboundSpi)));
        response.add(new NoncePayload(nr));
        if (ours != null) {
            response.add(new KePayload(group, ours.publicValue()));
        }
        response.add(TrafficSelectorNarrowing.payload(true, narrowedI));
        response.add(TrafficSelectorNarrowing.payload(false, narrowedR));
        sendProtectedResponse(m, response);
        replaceChild(old, false, match.chosen(), inboundSpi, spiValue(match.offered()), narrowedR, narrowedI, shared,
                nonce.nonce(), nr, false, now);
    }

    private void onIkeRekeyRequest(IkeMessage m, SaPayload sa, NoncePayload nonce, Optional<KePayload> ke, long now) {
        Optional<ProposalMatch> picked = ProposalMatch.pick(connection.ike(), sa, false)
                .filter(p -> p.offered().spi().length == 8 && p.offered().protocolId() == SaProposal.PROTOCOL_IKE);
        if (picked.isEmpty()) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            return;
        }
        ProposalMatch match = ke.map(k -> picked.get().preferringGroup(k.dhGroup())).orElse(picked.get());
        int group = match.dhGroup();
        if (ke.isEmpty() || ke.get().dhGroup() != group || DhGroup.lookup(group).isEmpty()) {
            sendProtectedResponse(m, List.of(NotifyPayload.invalidKePayload(group)));
            return;
        }
        if (pending != null) {
            // 2.25: our own rekey is under way on this SA; the peer retries later (collisions: not handled yet)
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        DhKeyPair ours = DhGroup.forId(group).generate(ctx.random());
        byte[] shared;
        try {
            shared = ours.sharedSecret(ke.get().keyData());
        } catch (InvalidPeerKeyException e) {
            sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            return;
        }
        long peerSpi = ByteBuffer.wrap(match.offered().spi()).getLong();
        long ourSpi = newIkeSpi();
        byte[] nr = ctx.random().nextBytes(NONCE_BYTES);
        List<Payload> response = List.of(SaPayload.chosen(match.offered().number(), match.chosen(), spiBytes(ourSpi)),
                new NoncePayload(nr), new KePayload(group, ours.publicValue()));
        sendProtectedResponse(m, response);
        // 2.18: the peer initiated the rekey, so it is the initiator of the new IKE SA
        handOver(false, peerSpi, ourSpi, match.chosen(), shared, nonce.nonce(), nr, now);
        phase = Phase.REKEYED;
        long linger = 0;
        for (int i = 0; i <= ctx.schedule().tries(); i++) {
            linger += ctx.schedule().waitAfter(i).toMillis();
        }
        ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.REKEYED_LINGER), now + linger);
    }

    /**
     * Moves everything to the new IKE SA of a rekey (2.18): new SPIs and keys from SKEYSEED = prf(SK_d (old),
     * g^ir (new) | Ni | Nr), message ids from 0, the CHILD_SAs and their timers. This SA then only ends.
     */
    private void handOver(boolean weInitiated, long newSpiI, long newSpiR, Proposal chosen, byte[] shared, byte[] ni,
                          byte[] nr, long now) {
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
        n.child = child;
        n.oldChildren.addAll(oldChildren);
        n.lastInbound = lastInbound;
        n.nextRequestId = 0;
        n.expectedRequestId = 0;
        n.childRekeyAt = childRekeyAt;
        n.childExpireAt = childExpireAt;
        n.armChildTimers();
        n.armIkeRekey(now);
        n.armDpd();
        // this SA keeps only what it still has to finish: an answer, the DELETE of replaced CHILD_SAs
        ctx.actions().cancelTimer(dpdKey());
        cancelChildTimers();
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY));
        child = null;
        oldChildren.clear();
        superseded = true;
        successor = n;
        replacedBy = n;
    }

    /** The IKE SA that replaced this one by a rekey, once; the engine registers it under its SPI. */
    IkeSession takeSuccessor() {
        IkeSession n = successor;
        successor = null;
        return n;
    }

    /** The CHILD_SA reached its soft lifetime: send CREATE_CHILD_SA with N(REKEY_SA) (1.3.3). */
    private void startChildRekey(long now) {
        if (phase != Phase.ESTABLISHED || child == null || !connection.rekey()) {
            return;
        }
        if (retransmit.pending()) {
            // window of 1 (2.3): try again once the outstanding exchange is over
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_REKEY), now + 1000);
            return;
        }
        Proposal first = connection.esp().get(0);
        int group = first.dhGroups().isEmpty() ? -1 : first.dhGroups().get(0).ianaId();
        pending = new PendingRekey(false, child, newEspSpi(), 0, ctx.random().nextBytes(NONCE_BYTES), group);
        sendChildRekey(now);
    }

    private void sendChildRekey(long now) {
        PendingRekey p = pending;
        List<Payload> inner = new ArrayList<>();
        inner.add(new NotifyPayload(SaProposal.PROTOCOL_ESP, spiBytes32(p.old.inboundSpi()), NotifyType.REKEY_SA,
                new byte[0]));
        inner.add(SaPayload.of(connection.esp(), spiBytes32(p.inboundSpi)));
        inner.add(new NoncePayload(p.nonce));
        if (p.group != -1) {
            p.dh = DhGroup.forId(p.group).generate(ctx.random());
            inner.add(new KePayload(p.group, p.dh.publicValue()));
        }
        inner.add(TrafficSelectorNarrowing.payload(true, TrafficSelectorNarrowing.selectorsOf(p.old.localSelectors())));
        inner.add(TrafficSelectorNarrowing.payload(false, TrafficSelectorNarrowing.selectorsOf(p.old.remoteSelectors())));
        sendCreateChildSa(inner, now);
    }

    /** The IKE SA reached its soft lifetime: send CREATE_CHILD_SA with an IKE proposal and our new SPI (1.3.2). */
    private void startIkeRekey(long now) {
        if (phase != Phase.ESTABLISHED || !connection.rekey()) {
            return;
        }
        if (retransmit.pending()) {
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY), now + 1000);
            return;
        }
        int group = connection.ike().get(0).dhGroups().get(0).ianaId();
        pending = new PendingRekey(true, null, 0, newIkeSpi(), ctx.random().nextBytes(NONCE_BYTES), group);
        sendIkeRekey(now);
    }

    private void sendIkeRekey(long now) {
        PendingRekey p = pending;
        p.dh = DhGroup.forId(p.group).generate(ctx.random());
        sendCreateChildSa(List.of(SaPayload.of(connection.ike(), spiBytes(p.ikeSpi)), new NoncePayload(p.nonce),
                new KePayload(p.group, p.dh.publicValue())), now);
    }

    private void sendCreateChildSa(List<? extends Payload> inner, long now) {
        long id = nextRequestId++;
        List<byte[]> request = protect(IkeHeader.of(spiI, spiR, ExchangeType.CREATE_CHILD_SA, initiator, false, id), inner);
        sendRequest(request, id, now);
    }

    private void onCreateChildSaResponse(IkeMessage m, long now) {
        List<Payload> inner = unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        answered();
        lastInbound = now;
        PendingRekey p = pending;
        pending = null;
        for (NotifyPayload n : only(inner, NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.INVALID_KE_PAYLOAD) {
                int wanted = n.invalidKeGroup().orElse(-1);
                List<Proposal> offered = p.ike ? connection.ike() : connection.esp();
                boolean ours = offered.stream().flatMap(x -> x.dhGroups().stream()).anyMatch(a -> a.ianaId() == wanted);
                if (!p.retriedGroup && ours && wanted != p.group && DhGroup.lookup(wanted).isPresent()) {
                    p.retriedGroup = true; // 1.3: the same request again with a KE of the group asked for
                    p.group = wanted;
                    pending = p;
                    if (p.ike) {
                        sendIkeRekey(now);
                    } else {
                        sendChildRekey(now);
                    }
                    return;
                }
            }
            if (n.isError()) {
                rekeyFailed(p, "peer answered " + NotifyType.name(n.notifyType()) + " to our rekey of the "
                        + (p.ike ? "IKE SA" : "CHILD_SA"), n.notifyType() == NotifyType.TEMPORARY_FAILURE, now);
                return;
            }
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        Optional<NoncePayload> nonce = first(inner, NoncePayload.class);
        Optional<KePayload> ke = first(inner, KePayload.class);
        if (sa.isEmpty() || nonce.isEmpty() || sa.get().proposals().size() != 1) {
            rekeyFailed(p, "peer's CREATE_CHILD_SA response has no single SA and Nr", false, now);
            return;
        }
        SaProposal chosen = sa.get().proposals().get(0);
        Optional<Proposal> conf = chosen.toConf();
        int group = conf.map(c -> c.dhGroups().isEmpty() ? -1 : c.dhGroups().get(0).ianaId()).orElse(-1);
        boolean ok = conf.isPresent() && (p.ike
                ? chosen.protocolId() == SaProposal.PROTOCOL_IKE && chosen.spi().length == 8
                        && ProposalSelector.accepts(connection.ike(), conf.get(), false)
                : chosen.protocolId() == SaProposal.PROTOCOL_ESP && chosen.spi().length == 4
                        && ProposalSelector.accepts(connection.esp(), conf.get(), false));
        if (!ok || group != (p.dh == null ? -1 : p.group)
                || (group != -1 && (ke.isEmpty() || ke.get().dhGroup() != group))) {
            rekeyFailed(p, "peer chose a proposal we did not offer in CREATE_CHILD_SA: " + chosen, false, now);
            return;
        }
        byte[] shared = null;
        if (group != -1) {
            try {
                shared = p.dh.sharedSecret(ke.get().keyData());
            } catch (InvalidPeerKeyException e) {
                rekeyFailed(p, "peer sent an invalid DH public value in CREATE_CHILD_SA", false, now);
                return;
            }
        }
        byte[] nr = nonce.get().nonce();
        if (p.ike) {
            long peerSpi = ByteBuffer.wrap(chosen.spi()).getLong();
            // 2.18: we initiated the rekey, so we are the initiator of the new IKE SA; then delete the old one
            handOver(true, p.ikeSpi, peerSpi, conf.get(), shared, p.nonce, nr, now);
            sendInformational(List.of(DeletePayload.ikeSa()), now);
            phase = Phase.DELETING;
            return;
        }
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        if (tsi.isEmpty() || tsr.isEmpty()
                || !TrafficSelectorNarrowing.within(tsi.get().addressRanges(),
                        TrafficSelectorNarrowing.selectorsOf(p.old.localSelectors()))
                || !TrafficSelectorNarrowing.within(tsr.get().addressRanges(),
                        TrafficSelectorNarrowing.selectorsOf(p.old.remoteSelectors()))) {
            rekeyFailed(p, "peer answered traffic selectors outside ours in CREATE_CHILD_SA", false, now);
            return;
        }
        boolean oldStillCurrent = child == p.old;
        replaceChild(p.old, true, conf.get(), p.inboundSpi, spiValue(chosen), tsi.get().addressRanges(),
                tsr.get().addressRanges(), shared, p.nonce, nr, true, now);
        if (oldStillCurrent) {
            // 1.4.1: delete the replaced CHILD_SA; its inbound side goes when the DELETE is answered
            sendInformational(List.of(DeletePayload.esp(p.old.inboundSpi())), now);
        }
    }

    /** Our rekey failed: the SA stays until its hard lifetime; a TEMPORARY_FAILURE is retried a little later. */
    private void rekeyFailed(PendingRekey p, String error, boolean retry, long now) {
        lastError = error;
        armDpd();
        if (retry) {
            TimerKey key = new TimerKey(localSpi(), p.ike ? TimerKey.Kind.IKE_REKEY : TimerKey.Kind.CHILD_REKEY);
            ctx.actions().setTimer(key, now + 10_000 + fuzz(10_000));
        }
    }

    /** The CHILD_SA reached its hard lifetime without being replaced: remove it and delete it (1.4.1). */
    private void childExpired(long now) {
        if (phase != Phase.ESTABLISHED || child == null) {
            return;
        }
        int inboundSpi = child.inboundSpi();
        removeChild();
        ctx.actions().cancelTimer(dpdKey());
        if (!retransmit.pending()) {
            sendInformational(List.of(DeletePayload.esp(inboundSpi)), now);
        }
        down("CHILD_SA expired without being rekeyed");
    }

    private void onInformationalResponse(IkeMessage m, long now) {
        if (m.header().exchangeType() != ExchangeType.INFORMATIONAL || unprotectOrDrop(m) == null) {
            if (m.header().exchangeType() != ExchangeType.INFORMATIONAL) {
                ctx.drops().drop();
            }
            return;
        }
        answered();
        lastInbound = now;
        // the DELETE of CHILD_SAs we replaced is answered: their inbound side can go now (1.4.1)
        for (ChildSaInstall old : List.copyOf(deletingChildren)) {
            removeReplaced(old);
        }
        if (phase == Phase.DELETING) {
            close();
        } else {
            armDpd();
        }
    }

    private void onDpdTimer(long now) {
        DpdAction action = connection.dpdAction();
        long delay = connection.dpdDelay().toMillis();
        if (phase != Phase.ESTABLISHED || child == null || action == DpdAction.NONE || delay <= 0) {
            return;
        }
        if (retransmit.pending()) {
            // an exchange is under way: its answer (or its failure) tells whether the peer is alive
            ctx.actions().setTimer(dpdKey(), now + delay);
            return;
        }
        long last = Math.max(lastInbound, ctx.activity().lastInbound(child.inboundSpi()));
        if (last != Long.MIN_VALUE && now - last < delay) {
            ctx.actions().setTimer(dpdKey(), last + delay);
            return;
        }
        sendInformational(List.of(), now); // 2.4: an empty INFORMATIONAL request is the liveness check
    }

    /** Arms the DPD timer dpddelay after the last inbound IKE message, when the connection asks for DPD. */
    private void armDpd() {
        long delay = connection.dpdDelay().toMillis();
        if (phase == Phase.ESTABLISHED && child != null && connection.dpdAction() != DpdAction.NONE && delay > 0) {
            ctx.actions().setTimer(dpdKey(), lastInbound + delay);
        }
    }

    /** A request of ours went unanswered on an established SA: the peer is dead (2.4), apply dpdaction. */
    private void deadPeer() {
        removeChild();
        cancelTimers();
        phase = Phase.CLOSED;
        down("peer " + IpLiteral.format(remote.getAddress()) + " did not answer DPD (dead peer)");
        // clear and hold both leave the tunnel DOWN here; for hold the daemon installs the trap
        restartWanted = connection.dpdAction() == DpdAction.RESTART;
    }

    private void sendInformational(List<? extends Payload> inner, long now) {
        long id = nextRequestId++;
        List<byte[]> request = protect(IkeHeader.of(spiI, spiR, ExchangeType.INFORMATIONAL, initiator, false, id), inner);
        sendRequest(request, id, now);
    }

    /**
     * Closes this SA on our side: an established one sends the DELETE of the IKE SA (1.4.1) and removes its
     * CHILD_SA; with {@code awaitAnswer} it retransmits the DELETE until answered, otherwise (shutdown) it is
     * forgotten at once. Anything not established is simply abandoned. Reports DOWN.
     */
    void closeLocally(long now, boolean awaitAnswer) {
        if (phase == Phase.CLOSED) {
            return;
        }
        closedLocally = true;
        ctx.actions().cancelTimer(dpdKey());
        if (phase == Phase.REKEYED) {
            close(); // replaced by a rekey: the new IKE SA sends the DELETE and reports DOWN
            return;
        }
        boolean wasReported = state != TunnelState.DOWN && !superseded;
        if (phase == Phase.ESTABLISHED) {
            removeChild();
            sendInformational(List.of(DeletePayload.ikeSa()), now);
            phase = Phase.DELETING;
        }
        if (phase != Phase.DELETING || !awaitAnswer) {
            cancelTimers();
            phase = Phase.CLOSED;
        }
        if (wasReported) {
            down(null);
        }
    }

    /**
     * The peer restarted: a newer IKE SA between the same identities came with INITIAL_CONTACT (2.4). This SA and its
     * CHILD_SAs are forgotten without a DELETE; DOWN is reported only for another connection than the newer SA's,
     * which speaks for its own.
     */
    void forgetForInitialContact(String newerConnection) {
        boolean report = !superseded && state == TunnelState.CONNECTED && !connection.name().equals(newerConnection);
        closedLocally = true; // neither a keying retry nor a restart
        removeChild();
        close();
        state = TunnelState.DOWN;
        lastError = "peer restarted: INITIAL_CONTACT on a new IKE SA";
        if (report) {
            ctx.actions().stateChanged(connection.name(), TunnelState.DOWN, lastError);
        }
    }

    /**
     * Deletes our CHILD_SA with an INFORMATIONAL DELETE of its inbound SPI (1.4.1), keeping the IKE SA.
     * Package-private for now: the daemon has no command for it yet.
     */
    void deleteChild(long now) {
        if (phase != Phase.ESTABLISHED || child == null || retransmit.pending()) {
            return;
        }
        int inboundSpi = child.inboundSpi();
        removeChild();
        ctx.actions().cancelTimer(dpdKey());
        sendInformational(List.of(DeletePayload.esp(inboundSpi)), now);
        down(null);
    }

    /**
     * Sends an INFORMATIONAL request with these payloads (notifies, deletes) on an established SA, unless an
     * exchange of ours is outstanding (window of 1, RFC 7296 2.3); false if it was not sent.
     */
    boolean informational(List<? extends Payload> inner, long now) {
        if (phase != Phase.ESTABLISHED || retransmit.pending()) {
            return false;
        }
        sendInformational(inner, now);
        return true;
    }

    /** The inner payloads of a message protected by this SA's peer; for tests and diagnostics. */
    List<Payload> decryptFromPeer(IkeMessage m) throws InvalidMessageException, SkPayloadException {
        return sk.unprotect(m);
    }

    /** Removes the CHILD_SA from the data plane; with it go any it replaced that are still installed. */
    private void removeChild() {
        if (child != null) {
            ctx.actions().removeChildSa(new ChildSaRemoval(child.connection(), child.inboundSpi(), child.outboundSpi()));
            child = null;
        }
        cancelChildTimers();
        for (ChildSaInstall old : List.copyOf(oldChildren)) {
            removeReplaced(old);
        }
        for (ChildSaInstall old : List.copyOf(deletingChildren)) {
            removeReplaced(old);
        }
    }

    /** A CHILD_SA replaced by a rekey, by our outbound SPI (the SPI the peer receives on); null if none. */
    private ChildSaInstall replaced(int outboundSpi) {
        for (List<ChildSaInstall> list : List.of(oldChildren, deletingChildren)) {
            for (ChildSaInstall c : list) {
                if (c.outboundSpi() == outboundSpi) {
                    return c;
                }
            }
        }
        return null;
    }

    private void removeReplaced(ChildSaInstall old) {
        if (oldChildren.remove(old) | deletingChildren.remove(old)) {
            ctx.actions().removeChildSa(new ChildSaRemoval(old.connection(), old.inboundSpi(), old.outboundSpi()));
        }
    }

    private void cancelTimers() {
        if (retransmit.pending()) {
            answered();
        }
        pending = null;
        ctx.actions().cancelTimer(halfOpenKey());
        ctx.actions().cancelTimer(dpdKey());
        cancelChildTimers();
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY));
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.REKEYED_LINGER));
    }

    private void cancelChildTimers() {
        childRekeyAt = Long.MIN_VALUE;
        childExpireAt = Long.MIN_VALUE;
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_REKEY));
        ctx.actions().cancelTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_EXPIRE));
    }

    private void down(String reason) {
        if (superseded) {
            return; // the new IKE SA speaks for the tunnel
        }
        state = TunnelState.DOWN;
        lastError = reason;
        ctx.actions().stateChanged(connection.name(), TunnelState.DOWN, reason);
    }

    /** IKE_AUTH succeeded but our first CHILD_SA did not: delete the IKE SA rather than forget it (1.2, 2.21.2). */
    private void failChild(long now, String error) {
        attemptFailed = true;
        state = TunnelState.PHASE2_FAILED;
        lastError = error;
        if (reportFailure) {
            ctx.actions().stateChanged(connection.name(), TunnelState.PHASE2_FAILED, error);
        }
        phase = Phase.DELETING;
        sendInformational(List.of(DeletePayload.ikeSa()), now);
    }

    /**
     * As responder the IKE SA stays up when the CHILD_SA of IKE_AUTH fails (2.21.2): the initiator deletes it,
     * and we answer that DELETE.
     */
    private void childFailedAsResponder(String error) {
        state = TunnelState.PHASE2_FAILED;
        lastError = error;
        ctx.actions().stateChanged(connection.name(), TunnelState.PHASE2_FAILED, error);
    }

    private void sendRequest(List<byte[]> datagrams, long messageId, long now) {
        List<IkeDatagram> request = datagrams.stream().map(b -> new IkeDatagram(b, local, remote)).toList();
        request.forEach(ctx.actions()::send);
        ctx.actions().setTimer(retransmitKey(), retransmit.firstSent(request, messageId, now));
    }

    private void answered() {
        retransmit.answered();
        fragments.discardResponses();
        ctx.actions().cancelTimer(retransmitKey());
    }

    private boolean deriveIkeKeys(Proposal chosen, KePayload peerKe) {
        byte[] shared;
        try {
            shared = dh.sharedSecret(peerKe.keyData());
        } catch (InvalidPeerKeyException e) {
            return false;
        }
        ikeProposal = chosen;
        suite = IkeSuite.of(chosen.encryption().get(0), chosen.integrity().isEmpty() ? null : chosen.integrity().get(0),
                chosen.prf().get(0));
        keys = IkeKeyDerivation.deriveInitial(suite, shared, nonceI, nonceR, spiBytes(spiI), spiBytes(spiR));
        java.util.Arrays.fill(shared, (byte) 0);
        sk = new SkProtection(suite, keys, initiator, ctx.random());
        return true;
    }

    private void install(Proposal esp, int inboundSpi, int outboundSpi, List<AddressRangeSelector> localTs,
                         List<AddressRangeSelector> remoteTs, long now) {
        // RFC 7296 2.17: the first CHILD_SA's KEYMAT uses the IKE_SA_INIT nonces and no new DH
        installChild(esp, inboundSpi, outboundSpi, localTs, remoteTs, null, nonceI, nonceR, initiator, now);
        state = TunnelState.CONNECTED;
        lastError = null;
        ctx.actions().stateChanged(connection.name(), TunnelState.CONNECTED, null);
        lastInbound = Math.max(lastInbound, now);
        armDpd();
        armIkeRekey(now);
    }

    /**
     * Derives KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (2.17), installs the CHILD_SA as the current one and
     * schedules its rekey and expiry. exchangeInitiator: whether we initiated the exchange that created it; its
     * initiator-to-responder keys come first.
     */
    private void installChild(Proposal esp, int inboundSpi, int outboundSpi, List<AddressRangeSelector> localTs,
                              List<AddressRangeSelector> remoteTs, byte[] sharedSecret, byte[] ni, byte[] nr,
                              boolean exchangeInitiator, long now) {
        EspSuite espSuite = EspSuites.of(esp);
        ChildSaKeys childKeys = ChildKeyDerivation.derive(suite.prf(), keys.skD(), sharedSecret, ni, nr, espSuite);
        if (sharedSecret != null) {
            java.util.Arrays.fill(sharedSecret, (byte) 0);
        }
        child = new ChildSaInstall(connection.name(), inboundSpi, outboundSpi, espSuite, childKeys.inbound(exchangeInitiator),
                childKeys.outbound(exchangeInitiator), EspSuites.esn(esp), TrafficSelectorNarrowing.toSubnets(localTs),
                TrafficSelectorNarrowing.toSubnets(remoteTs), EspMode.TUNNEL, nat || connection.forceEncaps(), local, remote);
        ctx.actions().installChildSa(child);
        armChildLifetime(now);
    }

    /**
     * A rekey replaced the current CHILD_SA: the new one is installed before the old one goes (make before
     * break); the old one stays until its DELETE. The tunnel stays CONNECTED.
     */
    private void replaceChild(ChildSaInstall old, boolean weDeleteOld, Proposal esp, int inboundSpi, int outboundSpi,
                              List<AddressRangeSelector> localTs, List<AddressRangeSelector> remoteTs, byte[] sharedSecret,
                              byte[] ni, byte[] nr, boolean exchangeInitiator, long now) {
        ChildSaInstall current = child;
        installChild(esp, inboundSpi, outboundSpi, localTs, remoteTs, sharedSecret, ni, nr, exchangeInitiator, now);
        if (current != null && current == old) {
            (weDeleteOld ? deletingChildren : oldChildren).add(current);
        } else if (current != null) {
            oldChildren.add(current); // should not happen: keep it until deleted rather than lose track of it
        }
        if (state != TunnelState.CONNECTED) {
            state = TunnelState.CONNECTED;
            lastError = null;
            ctx.actions().stateChanged(connection.name(), TunnelState.CONNECTED, null);
        }
        armDpd();
    }

    private long fuzz(long bound) {
        if (bound <= 0) {
            return 0;
        }
        return Long.remainderUnsigned(ByteBuffer.wrap(ctx.random().nextBytes(8)).getLong(), bound + 1);
    }

    /** Schedules the current CHILD_SA's rekey (rekey=yes) and its hard expiry at lifetime. */
    private void armChildLifetime(long now) {
        cancelChildTimers();
        Duration lifetime = connection.lifetime();
        if (lifetime == null || lifetime.isZero() || lifetime.isNegative()) {
            return;
        }
        RekeySchedule schedule = RekeySchedule.of(lifetime, connection.margin(), connection.rekeyFuzzPercent(), this::fuzz);
        childExpireAt = now + schedule.expireAfter().toMillis();
        if (connection.rekey()) {
            childRekeyAt = now + schedule.rekeyAfter().toMillis();
        }
        armChildTimers();
    }

    private void armChildTimers() {
        if (childRekeyAt != Long.MIN_VALUE) {
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_REKEY), childRekeyAt);
        }
        if (childExpireAt != Long.MIN_VALUE) {
            ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.CHILD_EXPIRE), childExpireAt);
        }
    }

    /** Schedules the rekey of this IKE SA (rekey=yes) before ikelifetime. */
    private void armIkeRekey(long now) {
        Duration lifetime = connection.ikeLifetime();
        if (!connection.rekey() || lifetime == null || lifetime.isZero() || lifetime.isNegative()) {
            return;
        }
        RekeySchedule schedule = RekeySchedule.of(lifetime, connection.margin(), connection.rekeyFuzzPercent(), this::fuzz);
        ctx.actions().setTimer(new TimerKey(localSpi(), TimerKey.Kind.IKE_REKEY), now + schedule.rekeyAfter().toMillis());
    }

    /** The attempt failed before IKE keys were usable; an initiator's failure counts against keyingtries. */
    private void fail(TunnelState failed, String error) {
        cancelTimers();
        phase = Phase.CLOSED;
        state = failed;
        lastError = error;
        attemptFailed = initiator;
        if (!initiator || reportFailure) {
            ctx.actions().stateChanged(connection.name(), failed, error);
        }
    }

    private void close() {
        cancelTimers();
        for (ChildSaInstall old : List.copyOf(deletingChildren)) {
            removeReplaced(old);
        }
        for (ChildSaInstall old : List.copyOf(oldChildren)) {
            removeReplaced(old);
        }
        phase = Phase.CLOSED;
    }

    private List<Payload> unprotectOrDrop(IkeMessage m) {
        List<Payload> reassembled = fragments.innerOf(m);
        if (reassembled != null) {
            return reassembled;
        }
        try {
            return sk.unprotect(m);
        } catch (InvalidMessageException | SkPayloadException e) {
            // RFC 7296 2.21.2: a message that fails the integrity check is dropped silently
            ctx.drops().drop();
            return null;
        }
    }

    private Identity ourIdentity(Connection c) {
        return c.left().id().isAny() ? Identity.of(local.getAddress()) : c.left().id();
    }

    private List<Subnet> localSubnets(Connection c) {
        return c.left().subnets().isEmpty() ? List.of(Subnet.host(local.getAddress())) : c.left().subnets();
    }

    private List<Subnet> remoteSubnets(Connection c) {
        return c.right().subnets().isEmpty() ? List.of(Subnet.host(remote.getAddress())) : c.right().subnets();
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
