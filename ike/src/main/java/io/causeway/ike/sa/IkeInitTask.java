package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.Fragmentation;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.sa.IkeSession.Phase;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IKE_SA_INIT in both roles (RFC 7296 1.2, 2.6, 2.10, 2.23): the IKE proposal, Diffie-Hellman and nonces, and from
 * them the IKE SA's keys (2.14). The initiator follows COOKIE answers (2.6, at most {@link IkeSession#MAX_COOKIE_ROUNDS}
 * rounds, resending the same KE and nonce) and INVALID_KE_PAYLOAD (1.3, the group asked for if we offered it), and
 * moves to port 4500 when NAT-D shows a NAT (2.23); then it hands over to {@link IkeAuthTask}. The responder picks
 * the first candidate connection whose IKE proposal matches, answers errors statelessly, and starts the half-open
 * timer. Both announce IKE fragmentation (RFC 7383 2.3) unless fragmentation=no.
 */
final class IkeInitTask implements ExchangeTask {
    private static final byte[] NO_SPI = new byte[0];

    private final IkeSession s;
    private int dhGroupId;
    private DhKeyPair dh;
    private byte[] cookie;
    private int cookieRounds;

    IkeInitTask(IkeSession session) {
        this.s = session;
    }

    /** Sends the IKE_SA_INIT request: SA, KE of the first proposal's first group, Ni, NAT-D, fragmentation. */
    void start(long now) {
        Connection c = s.connection;
        try {
            Proposal first = c.ike().get(0);
            if (first.dhGroups().isEmpty()) {
                s.fail(TunnelState.PHASE1_FAILED, "ike proposal " + first + " has no DH group");
                return;
            }
            dhGroupId = first.dhGroups().get(0).ianaId();
            s.nonceI = s.ctx.random().nextBytes(IkeSession.NONCE_BYTES);
            s.handshakeStartedAt = now;
            s.ctx.actions().stateChanged(c.name(), TunnelState.CONNECTING, null);
            sendRequest(now);
        } catch (RuntimeException e) {
            s.fail(TunnelState.PHASE1_FAILED, "cannot start IKE_SA_INIT: " + e.getMessage());
        }
    }

    private void sendRequest(long now) {
        Connection c = s.connection;
        if (dh == null) {
            dh = DhGroup.forId(dhGroupId).generate(s.ctx.random()); // 2.6: a cookie round resends the same KE
        }
        List<Payload> payloads = new ArrayList<>();
        if (cookie != null) {
            payloads.add(NotifyPayload.of(NotifyType.COOKIE, cookie)); // RFC 7296 2.6: COOKIE comes first
        }
        payloads.add(SaPayload.of(c.ike(), NO_SPI));
        payloads.add(new KePayload(dhGroupId, dh.publicValue()));
        payloads.add(new NoncePayload(s.nonceI));
        List<NotifyPayload> natd = NatDetector.notifies(IkeSession.spiBytes(s.spiI), IkeSession.spiBytes(0), s.local,
                s.remote);
        if (c.forceEncaps()) {
            // like strongSwan: a source hash that cannot match makes the peer see a NAT and move to 4500
            natd = List.of(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, s.ctx.random().nextBytes(20)), natd.get(1));
        }
        payloads.addAll(natd);
        if (c.fragmentation() != Fragmentation.NO) {
            payloads.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)); // RFC 7383 2.3
        }
        s.initRequest = IkeMessage.of(IkeHeader.of(s.spiI, 0, ExchangeType.IKE_SA_INIT, true, false, 0), payloads).bytes();
        s.phase = Phase.INIT_SENT;
        s.active = this;
        s.transport.sendRequest(ExchangeType.IKE_SA_INIT, List.of(s.initRequest), 0, now);
    }

    @Override
    public void onResponse(IkeMessage m, long now) {
        Connection c = s.connection;
        if (m.header().exchangeType() != ExchangeType.IKE_SA_INIT) {
            s.ctx.drops().drop();
            return;
        }
        Optional<NotifyPayload> cookieNotify = m.notifies(NotifyType.COOKIE).stream().findFirst();
        if (cookieNotify.isPresent()) {
            s.transport.answered();
            if (++cookieRounds > IkeSession.MAX_COOKIE_ROUNDS) {
                s.fail(TunnelState.PHASE1_FAILED, "peer kept answering IKE_SA_INIT with a new COOKIE");
                return;
            }
            cookie = cookieNotify.get().data(); // 2.6: the same request again, the cookie first
            sendRequest(now);
            return;
        }
        for (NotifyPayload n : m.all(NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.INVALID_KE_PAYLOAD) {
                retryWithGroup(n, now);
                return;
            }
            if (n.notifyType() == NotifyType.NO_PROPOSAL_CHOSEN) {
                s.transport.answered();
                s.fail(TunnelState.PHASE1_FAILED, "peer answered NO_PROPOSAL_CHOSEN to IKE_SA_INIT: we offered ike="
                        + Proposal.format(c.ike()), FailureCause.NO_PROPOSAL);
                return;
            }
            if (n.isError()) {
                s.transport.answered();
                s.fail(TunnelState.PHASE1_FAILED, "peer answered " + NotifyType.name(n.notifyType()) + " to IKE_SA_INIT",
                        FailureCause.ofNotify(n.notifyType()));
                return;
            }
        }
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<KePayload> ke = m.first(KePayload.class);
        Optional<NoncePayload> nonce = m.first(NoncePayload.class);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty() || m.header().responderSpi() == 0) {
            s.ctx.drops().drop();
            return;
        }
        s.transport.answered();
        Optional<Proposal> chosen = sa.get().proposals().size() == 1 ? sa.get().proposals().get(0).toConf() : Optional.empty();
        if (chosen.isEmpty() || !ProposalSelector.accepts(c.ike(), chosen.get(), false)
                || chosen.get().dhGroups().size() != 1 || chosen.get().dhGroups().get(0).ianaId() != dhGroupId
                || ke.get().dhGroup() != dhGroupId) {
            s.fail(TunnelState.PHASE1_FAILED, "peer chose an IKE proposal we did not offer: " + sa.get(),
                    FailureCause.NO_PROPOSAL);
            return;
        }
        s.spiR = m.header().responderSpi();
        s.nonceR = nonce.get().nonce();
        s.initResponse = m.bytes();
        if (!deriveKeys(chosen.get(), ke.get())) {
            s.fail(TunnelState.PHASE1_FAILED, "peer sent an invalid DH public value in IKE_SA_INIT");
            return;
        }
        byte[] spiI = IkeSession.spiBytes(s.spiI);
        s.nat = NatDetector.natDetected(m, spiI, IkeSession.spiBytes(s.spiR), s.local, s.remote) || c.forceEncaps();
        s.sendFragments = sendsFragments(c) && !m.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isEmpty();
        if (s.nat) {
            // RFC 7296 2.23: after NAT is detected the initiator moves to port 4500 for IKE_AUTH and later
            s.local = new InetSocketAddress(s.local.getAddress(), IkeSession.NAT_T_PORT);
            s.remote = new InetSocketAddress(s.remote.getAddress(), IkeSession.NAT_T_PORT);
        }
        new IkeAuthTask(s, c).start(now);
    }

    private void retryWithGroup(NotifyPayload n, long now) {
        Connection c = s.connection;
        int wanted = n.invalidKeGroup().orElse(-1);
        boolean offered = c.ike().stream().flatMap(p -> p.dhGroups().stream()).anyMatch(a -> a.ianaId() == wanted);
        s.transport.answered();
        if (!offered || wanted == dhGroupId || DhGroup.lookup(wanted).isEmpty()) {
            s.fail(TunnelState.PHASE1_FAILED, "peer answered INVALID_KE_PAYLOAD asking for DH group " + wanted
                    + ", which we do not offer (ike=" + Proposal.format(c.ike()) + ")", FailureCause.NO_PROPOSAL);
            return;
        }
        dhGroupId = wanted; // RFC 7296 1.3: same SPI and nonce, new KE
        dh = null;
        sendRequest(now);
    }

    /** The responder's side: choose a candidate connection by its IKE proposal and answer. */
    void onRequest(IkeMessage m, IkeDatagram d, long now) {
        s.handshakeStartedAt = now;
        Optional<SaPayload> sa = m.first(SaPayload.class);
        Optional<KePayload> ke = m.first(KePayload.class);
        Optional<NoncePayload> nonce = m.first(NoncePayload.class);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty()) {
            s.ctx.drops().drop();
            s.close();
            return;
        }
        ProposalMatch match = null;
        for (Connection c : s.candidates) {
            match = ProposalMatch.pick(c.ike(), sa.get(), false).orElse(null);
            if (match != null) {
                s.connection = c;
                break;
            }
        }
        if (match == null) {
            sendStatelessError(d, NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            String offered = sa.get().proposals().stream().map(p -> p.toConf().map(Proposal::toString).orElse(p.toString()))
                    .toList().toString();
            s.fail(TunnelState.PHASE1_FAILED, "peer " + IpLiteral.format(d.remote().getAddress()) + " offered ike="
                    + offered + ", none matches ours (ike=" + Proposal.format(s.connection.ike())
                    + "); answered NO_PROPOSAL_CHOSEN", FailureCause.NO_PROPOSAL);
            return;
        }
        match = match.preferringGroup(ke.get().dhGroup());
        if (match.dhGroup() != ke.get().dhGroup()) {
            // RFC 7296 1.3: tell the initiator which group we want; keep no state
            sendStatelessError(d, NotifyPayload.invalidKePayload(match.dhGroup()));
            s.close();
            return;
        }
        s.spiR = SaWire.newIkeSpi(s.ctx.random());
        dhGroupId = match.dhGroup();
        dh = DhGroup.forId(dhGroupId).generate(s.ctx.random());
        s.nonceI = nonce.get().nonce();
        s.nonceR = s.ctx.random().nextBytes(IkeSession.NONCE_BYTES);
        s.initRequest = m.bytes();
        s.local = d.local();
        s.remote = d.remote();
        if (!deriveKeys(match.chosen(), ke.get())) {
            s.ctx.drops().drop();
            s.close();
            return;
        }
        byte[] spiI = IkeSession.spiBytes(s.spiI);
        s.nat = NatDetector.natDetected(m, spiI, IkeSession.spiBytes(0), s.local, s.remote);
        List<Payload> payloads = new ArrayList<>();
        payloads.add(SaPayload.chosen(match.offered().number(), match.chosen(), NO_SPI));
        payloads.add(new KePayload(dhGroupId, dh.publicValue()));
        payloads.add(new NoncePayload(s.nonceR));
        payloads.addAll(NatDetector.notifies(spiI, IkeSession.spiBytes(s.spiR), s.local, s.remote));
        // RFC 7383 2.3: announced only to an initiator that announced it
        boolean fragmentation = !m.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED).isEmpty()
                && s.connection.fragmentation() != Fragmentation.NO;
        if (fragmentation) {
            payloads.add(NotifyPayload.of(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED));
        }
        s.sendFragments = fragmentation && sendsFragments(s.connection);
        s.initResponse = IkeMessage.of(IkeHeader.of(s.spiI, s.spiR, ExchangeType.IKE_SA_INIT, false, true, 0), payloads)
                .bytes();
        s.transport.sendResponse(m, List.of(s.initResponse));
        s.phase = Phase.INIT_ANSWERED;
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.HALF_OPEN), now + s.ctx.settings().halfOpenTimeoutMillis());
    }

    /** strongSwan's fragmentation=accept announces support but sends no fragments; yes and force send them. */
    private static boolean sendsFragments(Connection c) {
        return c.fragmentation() == Fragmentation.YES || c.fragmentation() == Fragmentation.FORCE;
    }

    private void sendStatelessError(IkeDatagram d, NotifyPayload error) {
        // RFC 7296 2.6: an IKE_SA_INIT error answer carries no responder SPI and creates no state
        byte[] bytes = IkeMessage.of(IkeHeader.of(s.spiI, 0, ExchangeType.IKE_SA_INIT, false, true, 0), List.of(error))
                .bytes();
        s.ctx.actions().send(new IkeDatagram(bytes, d.local(), d.remote()));
        s.ctx.actions().exchangeCompleted(s.connection.name(), ExchangeType.IKE_SA_INIT, false);
    }

    private boolean deriveKeys(Proposal chosen, KePayload peerKe) {
        byte[] shared;
        try {
            shared = dh.sharedSecret(peerKe.keyData());
        } catch (InvalidPeerKeyException e) {
            return false;
        }
        s.ikeProposal = chosen;
        s.suite = IkeSuite.of(chosen.encryption().get(0),
                chosen.integrity().isEmpty() ? null : chosen.integrity().get(0), chosen.prf().get(0));
        s.keys = IkeKeyDerivation.deriveInitial(s.suite, shared, s.nonceI, s.nonceR, IkeSession.spiBytes(s.spiI),
                IkeSession.spiBytes(s.spiR));
        java.util.Arrays.fill(shared, (byte) 0);
        s.sk = new SkProtection(s.suite, s.keys, s.initiator, s.ctx.random(), s.ctx.drops());
        return true;
    }
}
