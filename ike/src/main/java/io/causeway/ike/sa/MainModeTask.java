package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.secrets.Psk;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v1.message.DecodedPayload1;
import io.causeway.ike.v1.message.HashPayload1;
import io.causeway.ike.v1.message.IdPayload1;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.KePayload1;
import io.causeway.ike.v1.message.NatDPayload1;
import io.causeway.ike.v1.message.NoncePayload1;
import io.causeway.ike.v1.message.NotifyPayload1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.V1Encryption;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1Message;
import io.causeway.ike.v1.message.V1ParseException;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.V1PayloadType;
import io.causeway.ike.v1.message.VendorIdPayload1;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Main mode with pre-shared keys (RFC 2409 5, six messages), both roles: SA (1-2), KE and nonces with NAT-D (3-4),
 * then the encrypted identities and hashes (5-6). The responder chooses the PSK by the peer's address (the identity
 * is only learnt in message 5, which that key must already decrypt) and settles the connection by the identity.
 */
final class MainModeTask {
    private final IsakmpSession s;
    private final Phase1Exchange p1;

    MainModeTask(IsakmpSession session) {
        this.s = session;
        this.p1 = new Phase1Exchange(session);
    }

    void start(long now) {
        s.ourOffer = Phase1Proposals.offer(s.connection.ike(), s.connection.ikeLifetime());
        s.saiBody = IsakmpCodec.body(s.ourOffer);
        List<V1Payload> payloads = new ArrayList<>();
        payloads.add(s.ourOffer);
        payloads.addAll(p1.vendorIds());
        s.phase = IsakmpSession.Phase.SA_EXCHANGED;
        s.transport.request(plain(payloads), now);
    }

    void receive(byte[] datagram, IsakmpHeader h, IkeDatagram d, long now) {
        if (h.messageId() != 0) {
            s.ctx.drops().drop();
            return;
        }
        switch (s.phase) {
            case NEW -> responderSa(datagram, d, now);
            case SA_EXCHANGED -> {
                if (s.initiator) {
                    initiatorSa(datagram, h, now);
                } else {
                    responderKe(datagram, d);
                }
            }
            case KE_EXCHANGED -> {
                if (s.initiator) {
                    initiatorKe(datagram, d, now);
                } else {
                    responderId(datagram, d, now);
                }
            }
            case ID_SENT -> initiatorId(datagram, now);
            default -> s.ctx.drops().drop(); // a late repeat of a phase-1 message we no longer answer
        }
    }

    /** Message 2: the responder's choice. */
    private void initiatorSa(byte[] datagram, IsakmpHeader h, long now) {
        Optional<V1Message> m = plainMessage(datagram);
        Optional<SaPayload1> sa = m.flatMap(x -> IsakmpCodec.first(x.payloads(), SaPayload1.class));
        if (sa.isEmpty()) {
            s.ctx.drops().drop();
            return;
        }
        s.transport.answered();
        s.cookieR = h.responderCookie();
        Optional<Phase1Proposals.Choice> choice = Phase1Proposals.accepted(s.connection.ike(), sa.get());
        if (choice.isEmpty()) {
            p1.noProposal("the peer chose a transform we did not offer");
            return;
        }
        s.choice = choice.get();
        s.peer.learn(IsakmpCodec.all(m.get().payloads(), VendorIdPayload1.class));
        List<V1Payload> payloads = new ArrayList<>(List.of(p1.ourKe(), p1.ourNonce()));
        payloads.addAll(p1.natD(s.local, s.remote));
        s.phase = IsakmpSession.Phase.KE_EXCHANGED;
        s.transport.request(plain(payloads), now);
    }

    /** Message 4: the responder's KE and nonce; keys follow, and our encrypted identity goes out. */
    private void initiatorKe(byte[] datagram, IkeDatagram d, long now) {
        Optional<V1Message> m = plainMessage(datagram);
        Optional<KePayload1> ke = m.flatMap(x -> IsakmpCodec.first(x.payloads(), KePayload1.class));
        Optional<NoncePayload1> nonce = m.flatMap(x -> IsakmpCodec.first(x.payloads(), NoncePayload1.class));
        if (ke.isEmpty() || nonce.isEmpty()) {
            s.ctx.drops().drop();
            return;
        }
        Optional<Psk> psk = p1.psk(s.connection, s.expectedPeer(s.connection));
        if (psk.isEmpty()) {
            s.transport.answered();
            s.fail(TunnelState.PHASE1_FAILED, "no pre-shared key for " + s.ourIdentity() + " and "
                    + s.expectedPeer(s.connection) + " in ipsec.secrets", FailureCause.AUTH_FAILED);
            return;
        }
        s.nonceR = nonce.get().nonce();
        if (!p1.deriveKeys(psk.get(), ke.get().keyExchangeData())) {
            s.ctx.drops().drop();
            return;
        }
        s.transport.answered();
        p1.detectNat(IsakmpCodec.all(m.get().payloads(), NatDPayload1.class), d);
        p1.floatIfNat();
        IdPayload1 id = p1.ourId();
        List<V1Payload> payloads = new ArrayList<>(List.of(id, new HashPayload1(p1.hashI(IsakmpCodec.body(id)))));
        if (!s.otherSaWithPeer.test(s)) {
            payloads.add(IsakmpInformational.initialContact(s));
        }
        byte[] out = s.transport.sealPhase1(IsakmpCodec.header(s, V1ExchangeType.IDENTITY_PROTECTION, 0, true,
                V1PayloadType.ID), payloads);
        s.phase = IsakmpSession.Phase.ID_SENT;
        s.transport.request(out, now);
    }

    /** Message 6: the responder's identity and HASH_R; phase 1 is done. */
    private void initiatorId(byte[] datagram, long now) {
        Optional<V1Encryption.Decrypted> m = s.transport.openPhase1(datagram);
        Optional<IdPayload1> id = m.flatMap(x -> IsakmpCodec.first(x.payloads(), IdPayload1.class));
        Optional<HashPayload1> hash = m.flatMap(x -> IsakmpCodec.first(x.payloads(), HashPayload1.class));
        if (id.isEmpty() || hash.isEmpty()) {
            s.transport.answered();
            p1.authFailed("main mode message 6 from " + s.remote.getAddress().getHostAddress() + " does not decrypt");
            return;
        }
        byte[] expected = p1.hashR(IsakmpCodec.receivedBody(m.get().payloads(), IdPayload1.class));
        if (!MessageDigest.isEqual(expected, hash.get().hash())) {
            s.transport.answered();
            p1.authFailed("HASH_R of " + s.remote.getAddress().getHostAddress() + " does not match");
            return;
        }
        Optional<Identity> peerId = IsakmpCodec.identity(id.get());
        if (peerId.isEmpty() || !Phase1Exchange.accepts(s.connection, peerId.get())) {
            s.transport.answered();
            s.fail(TunnelState.PHASE1_FAILED, "peer identity " + peerId.map(Identity::toString).orElse(id.get().toString())
                    + " is not rightid=" + s.connection.right().id(), FailureCause.AUTH_FAILED);
            return;
        }
        s.transport.acceptPhase1(m.get());
        s.transport.phase1Complete();
        s.transport.answered();
        s.authenticatedPeer = peerId.get();
        s.lastInbound = now;
        s.phase1Done(now);
    }

    /** Message 1: the initiator's offer; the responder picks a connection and transform. */
    private void responderSa(byte[] datagram, IkeDatagram d, long now) {
        Optional<V1Message> m = plainMessage(datagram);
        Optional<SaPayload1> sa = m.flatMap(x -> IsakmpCodec.first(x.payloads(), SaPayload1.class));
        if (sa.isEmpty()) {
            s.ctx.drops().drop();
            s.close();
            return;
        }
        for (Connection c : s.candidates) {
            Optional<Phase1Proposals.Choice> choice = Phase1Proposals.select(c.ike(), sa.get());
            if (choice.isPresent()) {
                s.connection = c;
                s.choice = choice.get();
                break;
            }
        }
        if (s.choice == null) {
            IsakmpInformational.refuse(s, datagram, NotifyPayload1.NO_PROPOSAL_CHOSEN);
            p1.noProposal("none of the transforms " + s.remote.getAddress().getHostAddress() + " offered is configured");
            return;
        }
        s.saiBody = IsakmpCodec.receivedBody(m.get().payloads(), SaPayload1.class);
        s.peer.learn(IsakmpCodec.all(m.get().payloads(), VendorIdPayload1.class));
        List<V1Payload> payloads = new ArrayList<>();
        payloads.add(Phase1Proposals.answer(s.choice));
        payloads.addAll(p1.vendorIds());
        byte[] reply = plain(payloads);
        s.phase = IsakmpSession.Phase.SA_EXCHANGED;
        s.handshakeStartedAt = now;
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.HALF_OPEN), now + s.ctx.settings().halfOpenTimeoutMillis());
        reply(datagram, reply);
    }

    /** Message 3: the initiator's KE and nonce; the PSK is chosen by address. */
    private void responderKe(byte[] datagram, IkeDatagram d) {
        Optional<V1Message> m = plainMessage(datagram);
        Optional<KePayload1> ke = m.flatMap(x -> IsakmpCodec.first(x.payloads(), KePayload1.class));
        Optional<NoncePayload1> nonce = m.flatMap(x -> IsakmpCodec.first(x.payloads(), NoncePayload1.class));
        if (ke.isEmpty() || nonce.isEmpty()) {
            s.ctx.drops().drop();
            return;
        }
        Psk psk = null;
        for (Connection c : s.candidates) {
            if (c == s.connection || Phase1Proposals.select(c.ike(), Phase1Proposals.answer(s.choice)).isPresent()) {
                Optional<Psk> found = p1.psk(c, s.expectedPeer(c));
                if (found.isPresent()) {
                    s.connection = c;
                    psk = found.get();
                    break;
                }
            }
        }
        if (psk == null) {
            s.fail(TunnelState.PHASE1_FAILED, "no pre-shared key for " + s.remote.getAddress().getHostAddress()
                    + " in ipsec.secrets", FailureCause.AUTH_FAILED);
            return;
        }
        s.nonceI = nonce.get().nonce();
        KePayload1 ourKe = p1.ourKe();
        NoncePayload1 ourNonce = p1.ourNonce();
        if (!p1.deriveKeys(psk, ke.get().keyExchangeData())) {
            s.ctx.drops().drop();
            return;
        }
        p1.detectNat(IsakmpCodec.all(m.get().payloads(), NatDPayload1.class), d);
        List<V1Payload> payloads = new ArrayList<>(List.of(ourKe, ourNonce));
        payloads.addAll(p1.natD(d.local(), d.remote()));
        s.phase = IsakmpSession.Phase.KE_EXCHANGED;
        reply(datagram, plain(payloads));
    }

    /** Message 5: the initiator's identity and HASH_I; we answer with ours and phase 1 is done. */
    private void responderId(byte[] datagram, IkeDatagram d, long now) {
        Optional<V1Encryption.Decrypted> m = s.transport.openPhase1(datagram);
        Optional<IdPayload1> id = m.flatMap(x -> IsakmpCodec.first(x.payloads(), IdPayload1.class));
        Optional<HashPayload1> hash = m.flatMap(x -> IsakmpCodec.first(x.payloads(), HashPayload1.class));
        if (id.isEmpty() || hash.isEmpty()) {
            p1.authFailed("main mode message 5 from " + d.remote().getAddress().getHostAddress() + " does not decrypt");
            return;
        }
        byte[] expected = p1.hashI(IsakmpCodec.receivedBody(m.get().payloads(), IdPayload1.class));
        Optional<Identity> peerId = IsakmpCodec.identity(id.get());
        if (!MessageDigest.isEqual(expected, hash.get().hash())) {
            p1.authFailed("HASH_I of " + peerId.map(Identity::toString).orElse("the peer") + " does not match");
            return;
        }
        if (peerId.isEmpty() || !Phase1Exchange.accepts(s.connection, peerId.get())) {
            s.fail(TunnelState.PHASE1_FAILED, "peer identity " + peerId.map(Identity::toString).orElse(id.get().toString())
                    + " is not rightid=" + s.connection.right().id(), FailureCause.AUTH_FAILED);
            return;
        }
        s.transport.acceptPhase1(m.get());
        s.authenticatedPeer = peerId.get();
        s.initialContact = IsakmpCodec.all(m.get().payloads(), NotifyPayload1.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyPayload1.INITIAL_CONTACT);
        s.local = d.local();
        s.remote = d.remote();
        s.lastInbound = now;
        IdPayload1 ourId = p1.ourId();
        byte[] reply = s.transport.sealPhase1(IsakmpCodec.header(s, V1ExchangeType.IDENTITY_PROTECTION, 0, true,
                V1PayloadType.ID), List.of(ourId, new HashPayload1(p1.hashR(IsakmpCodec.body(ourId)))));
        s.transport.phase1Complete();
        reply(datagram, reply);
        s.phase1Done(now);
    }

    private void reply(byte[] request, byte[] reply) {
        s.transport.send(reply);
        s.transport.replied(request, reply);
    }

    private byte[] plain(List<V1Payload> payloads) {
        return p1.plain(V1ExchangeType.IDENTITY_PROTECTION, payloads);
    }

    private static Optional<V1Message> plainMessage(byte[] datagram) {
        return Phase1Exchange.plainMessage(datagram);
    }
}
