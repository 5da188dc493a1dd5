package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.timing.RekeySchedule;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.sa.IkeSession.Phase;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The rekey of the IKE SA in both roles (RFC 7296 1.3.2, 2.18): CREATE_CHILD_SA with an IKE proposal, a new SPI, a
 * nonce and KE, started at the soft ikelifetime (rekey=yes). A rekeyed IKE SA is a new session (new SPIs and keys,
 * message ids from 0) that takes over the CHILD_SAs and their timers; the initiator of the rekey deletes the old one.
 * When both ends rekey at once (2.8.2) the exchange holding the lowest nonce made the redundant IKE SA, which its
 * initiator deletes; the CHILD_SAs move to the other. A TEMPORARY_FAILURE (2.25) is retried 10 to 20 s later.
 */
final class IkeRekeyTask extends CreateChildSaTask {
    private IkeRekeyTask(IkeSession session, PendingExchange exchange) {
        super(session, exchange);
    }

    /** Schedules the rekey of this IKE SA (rekey=yes) before ikelifetime. */
    static void arm(IkeSession s, long now) {
        Connection c = s.connection;
        Duration lifetime = c.ikeLifetime();
        if (!c.rekey() || lifetime == null || lifetime.isZero() || lifetime.isNegative()) {
            return;
        }
        RekeySchedule schedule = RekeySchedule.of(lifetime, c.margin(), c.rekeyFuzzPercent(), s::fuzz);
        s.ikeRekeyAt = now + schedule.rekeyAfter().toMillis();
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.IKE_REKEY), s.ikeRekeyAt);
    }

    /** The IKE_REKEY timer: send CREATE_CHILD_SA with an IKE proposal and our new SPI (1.3.2). */
    static void startDue(IkeSession s, long now) {
        if (s.phase != Phase.ESTABLISHED || !s.connection.rekey()) {
            return;
        }
        if (s.transport.outstanding() || s.pending() != null) {
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.IKE_REKEY), now + 1000);
            return;
        }
        int group = s.connection.ike().get(0).dhGroups().get(0).ianaId();
        PendingExchange exchange = PendingExchange.ikeRekey(SaWire.newIkeSpi(s.ctx.random()),
                s.ctx.random().nextBytes(IkeSession.NONCE_BYTES), group);
        new IkeRekeyTask(s, exchange).sendRequest(now);
    }

    @Override
    List<Proposal> offered() {
        return s.connection.ike();
    }

    @Override
    void sendRequest(long now) {
        PendingExchange p = exchange;
        p.dh = DhGroup.forId(p.group).generate(s.ctx.random());
        send(List.of(SaPayload.of(s.connection.ike(), IkeSession.spiBytes(p.ikeSpi)), new NoncePayload(p.nonce),
                new KePayload(p.group, p.dh.publicValue())), now);
    }

    @Override
    boolean acceptable(SaProposal chosen, Proposal conf) {
        return chosen.protocolId() == SaProposal.PROTOCOL_IKE && chosen.spi().length == 8
                && ProposalSelector.accepts(s.connection.ike(), conf, false);
    }

    /**
     * Our rekey completed (2.18): we are the initiator of the new IKE SA and delete the old one. If the peer rekeyed
     * it too (2.8.2) and our exchange holds the lowest nonce, our new IKE SA is the redundant one: we delete it, the
     * CHILD_SAs move to the peer's and the peer deletes the old one.
     */
    @Override
    void accepted(SaProposal chosen, Proposal conf, byte[] shared, byte[] nr, List<Payload> inner, long now) {
        PendingExchange p = exchange;
        long peerSpi = ByteBuffer.wrap(chosen.spi()).getLong();
        IkeSession ours = newIkeSa(s, true, p.ikeSpi, peerSpi, conf, shared, p.nonce, nr);
        s.successors.add(ours);
        IkeSession theirs = p.collided() && !p.peerIkeSa.closed() ? p.peerIkeSa : null;
        if (theirs != null && p.losesCollision(nr)) {
            ours.superseded = true;
            ours.phase = Phase.DELETING;
            ours.transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
            handOver(s, theirs, now);
            awaitPeerDelete(s, now);
            return;
        }
        handOver(s, ours, now);
        s.transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
        s.phase = Phase.DELETING;
        if (theirs != null) {
            awaitPeerDelete(theirs, now); // the peer deletes its redundant IKE SA; it carries nothing meanwhile
        }
    }

    @Override
    boolean failed(int notify, boolean temporary, long retryAt, String error, long now) {
        PendingExchange p = exchange;
        if (p.collided() && !p.peerIkeSa.closed()) {
            // 2.8.2: the peer's rekey of this IKE SA completed: it takes over and deletes this one
            handOver(s, p.peerIkeSa, now);
            awaitPeerDelete(s, now);
            return false;
        }
        s.lastError = error;
        if (temporary) {
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.IKE_REKEY), retryAt);
        }
        return true;
    }

    /** The responder's side: the peer rekeys this IKE SA; answered, and settled by 2.8.2 if ours is out too. */
    static void respond(IkeSession s, IkeMessage m, SaPayload sa, NoncePayload nonce, Optional<KePayload> ke, long now) {
        Optional<ProposalMatch> picked = ProposalMatch.pick(s.connection.ike(), sa, false)
                .filter(p -> p.offered().spi().length == 8 && p.offered().protocolId() == SaProposal.PROTOCOL_IKE);
        if (picked.isEmpty()) {
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN)));
            return;
        }
        ProposalMatch match = ke.map(k -> picked.get().preferringGroup(k.dhGroup())).orElse(picked.get());
        int group = match.dhGroup();
        if (ke.isEmpty() || ke.get().dhGroup() != group || DhGroup.lookup(group).isEmpty()) {
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.invalidKePayload(group)));
            return;
        }
        PendingExchange pending = s.pending();
        if (pending != null && (!pending.ike() || pending.collided())) {
            // 2.25: a CHILD_SA exchange of ours is under way on this SA; the peer retries later
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        DhKeyPair ours = DhGroup.forId(group).generate(s.ctx.random());
        byte[] shared;
        try {
            shared = ours.sharedSecret(ke.get().keyData());
        } catch (InvalidPeerKeyException e) {
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            return;
        }
        long peerSpi = ByteBuffer.wrap(match.offered().spi()).getLong();
        long ourSpi = SaWire.newIkeSpi(s.ctx.random());
        byte[] nr = s.ctx.random().nextBytes(IkeSession.NONCE_BYTES);
        List<Payload> response = List.of(SaPayload.chosen(match.offered().number(), match.chosen(),
                IkeSession.spiBytes(ourSpi)), new NoncePayload(nr), new KePayload(group, ours.publicValue()));
        s.transport.sendProtectedResponse(m, response);
        // 2.18: the peer initiated the rekey, so it is the initiator of the new IKE SA
        IkeSession created = newIkeSa(s, false, peerSpi, ourSpi, match.chosen(), shared, nonce.nonce(), nr);
        s.successors.add(created);
        if (pending != null) {
            // 2.8.2: both ends rekey this IKE SA; which new one survives is decided when our answer comes. Until
            // then the peer's stays quiet and this one keeps the CHILD_SAs.
            pending.peerNi = nonce.nonce();
            pending.ourNr = nr;
            pending.peerIkeSa = created;
            created.superseded = true;
            return;
        }
        handOver(s, created, now);
        awaitPeerDelete(s, now);
    }

    /**
     * A new IKE SA from a rekey of old (2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), new SPIs, message
     * ids from 0. It has no CHILD_SAs and no timers yet.
     */
    private static IkeSession newIkeSa(IkeSession old, boolean weInitiated, long newSpiI, long newSpiR, Proposal chosen,
                                       byte[] shared, byte[] ni, byte[] nr) {
        IkeSuite newSuite = IkeSuite.of(chosen.encryption().get(0),
                chosen.integrity().isEmpty() ? null : chosen.integrity().get(0), chosen.prf().get(0));
        byte[] seed = IkeKeyDerivation.rekeySkeyseed(old.suite.prf(), old.keys.skD(), shared, ni, nr);
        IkeSaKeys newKeys;
        try {
            newKeys = IkeKeyDerivation.deriveKeys(newSuite, seed, ni, nr, IkeSession.spiBytes(newSpiI),
                    IkeSession.spiBytes(newSpiR));
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
            java.util.Arrays.fill(shared, (byte) 0);
        }
        IkeSession n = new IkeSession(old.ctx, weInitiated, List.of(old.connection), newSpiI, old.local, old.remote);
        n.spiR = newSpiR;
        n.phase = Phase.ESTABLISHED;
        n.state = old.state;
        n.lastError = old.lastError;
        n.nonceI = ni;
        n.nonceR = nr;
        n.ikeProposal = chosen;
        n.suite = newSuite;
        n.keys = newKeys;
        n.sk = new SkProtection(newSuite, newKeys, weInitiated, old.ctx.random(), old.ctx.drops());
        n.nat = old.nat;
        n.sendFragments = old.sendFragments; // RFC 7383 2.3: negotiated once, for the SA and its rekeyed successors
        n.authenticatedPeer = old.authenticatedPeer;
        n.lastInbound = old.lastInbound;
        n.transport.nextRequestId = 0;
        n.transport.expectedRequestId = 0;
        return n;
    }

    /**
     * Moves the CHILD_SAs and their timers to the IKE SA that replaces old (2.18); old then only finishes what it
     * has under way (an answer, DELETEs already sent) and ends quietly.
     */
    static void handOver(IkeSession old, IkeSession n, long now) {
        old.children.moveTo(n.children);
        n.establishedAt = now;
        n.superseded = false;
        n.state = old.state;
        n.lastError = old.lastError;
        n.childWanted = old.childWanted;
        n.childCreateNotBefore = old.childCreateNotBefore;
        n.sharing.takeOver(old.sharing);
        n.keeper.armTimers();
        arm(n, now);
        new DpdTask(n).arm();
        old.ctx.actions().cancelTimer(old.dpdKey());
        old.cancelChildTimers();
        old.ctx.actions().cancelTimer(old.timer(TimerKey.Kind.IKE_REKEY));
        old.ctx.actions().cancelTimer(old.timer(TimerKey.Kind.CHILD_CREATE));
        old.childWanted = false;
        old.superseded = true;
        old.replacedBy = n;
        n.afterExchange(now); // DELETEs that were waiting for our window, a CHILD_SA still wanted
        old.ctx.actions().ikeSaRekeyed(old.connection.name());
    }

    /** Replaced by the peer's rekey, or the peer's redundant IKE SA: only the peer's DELETE is still expected. */
    static void awaitPeerDelete(IkeSession s, long now) {
        s.phase = Phase.REKEYED;
        long linger = 0;
        for (int i = 0; i <= s.ctx.schedule().tries(); i++) {
            linger += s.ctx.schedule().waitAfter(i).toMillis();
        }
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.REKEYED_LINGER), now + linger);
    }
}
