package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.secrets.Psk;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DhGroup;
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
 * Aggressive mode with pre-shared keys (RFC 2409 5, three messages), both roles. The identities travel in the clear
 * in the first two messages, so the responder finds the connection and its PSK by the initiator's id; it answers only
 * for connections with aggressive=yes, because anyone who sees message 2 can attack the PSK offline. The third
 * message is encrypted, as strongSwan sends it; a plain one is accepted too.
 */
final class AggressiveModeTask {
    private final IsakmpSession s;
    private final Phase1Exchange p1;

    AggressiveModeTask(IsakmpSession session) {
        this.s = session;
        this.p1 = new Phase1Exchange(session);
    }

    /** Message 1: SA, KE and nonce, our identity. Every transform uses the DH group of the first, as KE is sent now. */
    void start(long now) {
        SaPayload1 full = Phase1Proposals.offer(s.connection.ike(), s.connection.ikeLifetime());
        s.ourOffer = Phase1Proposals.sameGroupAsFirst(full);
        s.saiBody = IsakmpCodec.body(s.ourOffer);
        DhGroup group = Phase1Proposals.decode(s.ourOffer.proposals().get(0).transforms().get(0)).orElseThrow().group();
        List<V1Payload> payloads = new ArrayList<>(List.of(s.ourOffer, p1.ourKe(group), p1.ourNonce(), p1.ourId()));
        payloads.addAll(p1.vendorIds());
        s.phase = IsakmpSession.Phase.AGGRESSIVE_SENT;
        s.transport.request(plain(payloads), now);
    }

    void receive(byte[] datagram, IsakmpHeader h, IkeDatagram d, long now) {
        if (h.messageId() != 0) {
            s.ctx.drops().drop();
            return;
        }
        if (s.phase == IsakmpSession.Phase.NEW && !s.initiator) {
            responderFirst(datagram, d, now);
        } else if (s.phase == IsakmpSession.Phase.AGGRESSIVE_SENT && s.initiator) {
            initiatorSecond(datagram, h, d, now);
        } else if (s.phase == IsakmpSession.Phase.AGGRESSIVE_SENT) {
            responderThird(datagram, h, d, now);
        } else {
            s.ctx.drops().drop();
        }
    }

    private void initiatorSecond(byte[] datagram, IsakmpHeader h, IkeDatagram d, long now) {
        Optional<V1Message> m = plainMessage(datagram);
        if (m.isEmpty()) {
            s.ctx.drops().drop();
            return;
        }
        var ps = m.get().payloads();
        Optional<SaPayload1> sa = IsakmpCodec.first(ps, SaPayload1.class);
        Optional<KePayload1> ke = IsakmpCodec.first(ps, KePayload1.class);
        Optional<NoncePayload1> nonce = IsakmpCodec.first(ps, NoncePayload1.class);
        Optional<IdPayload1> id = IsakmpCodec.first(ps, IdPayload1.class);
        Optional<HashPayload1> hash = IsakmpCodec.first(ps, HashPayload1.class);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty() || id.isEmpty() || hash.isEmpty()) {
            s.ctx.drops().drop();
            return;
        }
        s.transport.answered();
        s.cookieR = h.responderCookie();
        Optional<Phase1Proposals.Choice> choice = Phase1Proposals.accepted(s.connection.ike(), sa.get());
        if (choice.isEmpty() || choice.get().group().id() != s.dh.group().id()) {
            p1.noProposal("the peer chose a transform we did not offer");
            return;
        }
        s.choice = choice.get();
        s.peer.learn(IsakmpCodec.all(ps, VendorIdPayload1.class));
        Optional<Identity> peerId = IsakmpCodec.identity(id.get());
        if (peerId.isEmpty() || !Phase1Exchange.accepts(s.connection, peerId.get())) {
            s.fail(TunnelState.PHASE1_FAILED, "peer identity " + peerId.map(Identity::toString).orElse(id.get().toString())
                    + " is not rightid=" + s.connection.right().id(), FailureCause.AUTH_FAILED);
            return;
        }
        Optional<Psk> psk = p1.psk(s.connection, peerId.get());
        if (psk.isEmpty()) {
            s.fail(TunnelState.PHASE1_FAILED, "no pre-shared key for " + s.ourIdentity() + " and " + peerId.get()
                    + " in ipsec.secrets", FailureCause.AUTH_FAILED);
            return;
        }
        s.nonceR = nonce.get().nonce();
        if (!p1.deriveKeys(psk.get(), ke.get().keyExchangeData())) {
            p1.noProposal("the peer's KE is not a valid value of DH group " + s.choice.group().id());
            return;
        }
        byte[] expected = p1.hashR(IsakmpCodec.receivedBody(ps, IdPayload1.class));
        if (!MessageDigest.isEqual(expected, hash.get().hash())) {
            p1.authFailed("HASH_R of " + peerId.get() + " does not match");
            return;
        }
        s.authenticatedPeer = peerId.get();
        p1.detectNat(IsakmpCodec.all(ps, NatDPayload1.class), d);
        List<V1Payload> third = new ArrayList<>();
        third.add(new HashPayload1(p1.hashI(IsakmpCodec.body(p1.ourId()))));
        third.addAll(p1.natD(d.local(), d.remote()));
        if (!s.otherSaWithPeer.test(s)) {
            third.add(IsakmpInformational.initialContact(s));
        }
        p1.floatIfNat();
        byte[] out = s.transport.sealPhase1(IsakmpCodec.header(s, V1ExchangeType.AGGRESSIVE, 0, true, V1PayloadType.HASH),
                third);
        s.transport.phase1Complete();
        s.transport.send(out);
        s.transport.replied(datagram, out);
        s.lastInbound = now;
        s.phase1Done(now);
    }

    /** Message 1 at the responder: the connection by the initiator's id (aggressive=yes only), its PSK by that id. */
    private void responderFirst(byte[] datagram, IkeDatagram d, long now) {
        Optional<V1Message> m = plainMessage(datagram);
        if (m.isEmpty()) {
            s.ctx.drops().drop();
            s.close();
            return;
        }
        var ps = m.get().payloads();
        Optional<SaPayload1> sa = IsakmpCodec.first(ps, SaPayload1.class);
        Optional<KePayload1> ke = IsakmpCodec.first(ps, KePayload1.class);
        Optional<NoncePayload1> nonce = IsakmpCodec.first(ps, NoncePayload1.class);
        Optional<IdPayload1> id = IsakmpCodec.first(ps, IdPayload1.class);
        Optional<Identity> peerId = id.flatMap(IsakmpCodec::identity);
        if (sa.isEmpty() || ke.isEmpty() || nonce.isEmpty() || peerId.isEmpty()) {
            s.ctx.drops().drop();
            s.close();
            return;
        }
        Psk psk = null;
        String refused = "no connection with aggressive=yes accepts identity " + peerId.get();
        for (Connection c : s.candidates) {
            if (!c.aggressive() || !Phase1Exchange.accepts(c, peerId.get())) {
                continue;
            }
            Optional<Phase1Proposals.Choice> choice = Phase1Proposals.select(c.ike(), sa.get());
            if (choice.isEmpty()) {
                refused = "none of the transforms " + peerId.get() + " offered is configured";
                continue;
            }
            Optional<Psk> found = p1.psk(c, peerId.get());
            if (found.isEmpty()) {
                refused = "no pre-shared key for " + peerId.get() + " in ipsec.secrets";
                continue;
            }
            s.connection = c;
            s.choice = choice.get();
            psk = found.get();
            break;
        }
        if (psk == null) {
            IsakmpInformational.refuse(s, datagram, NotifyPayload1.NO_PROPOSAL_CHOSEN);
            s.fail(TunnelState.PHASE1_FAILED, refused, refused.startsWith("none") ? FailureCause.NO_PROPOSAL
                    : FailureCause.AUTH_FAILED);
            return;
        }
        if (ke.get().keyExchangeData().length != s.choice.group().publicValueLength()) {
            IsakmpInformational.refuse(s, datagram, NotifyPayload1.INVALID_KEY_INFORMATION);
            p1.noProposal("the KE of " + peerId.get() + " does not fit DH group " + s.choice.group().id());
            return;
        }
        s.saiBody = IsakmpCodec.receivedBody(ps, SaPayload1.class);
        s.peer.learn(IsakmpCodec.all(ps, VendorIdPayload1.class));
        s.nonceI = nonce.get().nonce();
        s.authenticatedPeer = peerId.get(); // confirmed by HASH_I in message 3
        s.handshakeStartedAt = now;
        KePayload1 ourKe = p1.ourKe();
        NoncePayload1 ourNonce = p1.ourNonce();
        if (!p1.deriveKeys(psk, ke.get().keyExchangeData())) {
            p1.noProposal("the KE of " + peerId.get() + " is not a valid value of DH group " + s.choice.group().id());
            return;
        }
        s.idiBody = IsakmpCodec.receivedBody(ps, IdPayload1.class);
        IdPayload1 ourId = p1.ourId();
        List<V1Payload> payloads = new ArrayList<>(List.of(Phase1Proposals.answer(s.choice), ourKe, ourNonce, ourId,
                new HashPayload1(p1.hashR(IsakmpCodec.body(ourId)))));
        payloads.addAll(p1.vendorIds());
        payloads.addAll(p1.natD(d.local(), d.remote()));
        s.phase = IsakmpSession.Phase.AGGRESSIVE_SENT;
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.HALF_OPEN), now + s.ctx.settings().halfOpenTimeoutMillis());
        byte[] reply = plain(payloads);
        s.transport.send(reply);
        s.transport.replied(datagram, reply);
    }

    /** Message 3 at the responder: HASH_I proves the initiator knows the PSK; phase 1 is done. */
    private void responderThird(byte[] datagram, IsakmpHeader h, IkeDatagram d, long now) {
        List<io.causeway.ike.v1.message.DecodedPayload1> ps;
        V1Encryption.Decrypted decrypted = null;
        if (h.encrypted()) {
            Optional<V1Encryption.Decrypted> m = s.transport.openPhase1(datagram);
            if (m.isEmpty()) {
                p1.authFailed("aggressive mode message 3 from " + s.authenticatedPeer + " does not decrypt");
                return;
            }
            decrypted = m.get();
            ps = decrypted.payloads();
        } else {
            Optional<V1Message> m = plainMessage(datagram);
            if (m.isEmpty()) {
                s.ctx.drops().drop();
                return;
            }
            ps = m.get().payloads();
        }
        Optional<HashPayload1> hash = IsakmpCodec.first(ps, HashPayload1.class);
        if (hash.isEmpty() || !MessageDigest.isEqual(p1.hashI(s.idiBody), hash.get().hash())) {
            p1.authFailed("HASH_I of " + s.authenticatedPeer + " does not match");
            return;
        }
        if (decrypted != null) {
            s.transport.acceptPhase1(decrypted);
        }
        p1.detectNat(IsakmpCodec.all(ps, NatDPayload1.class), d);
        s.nat |= d.local().getPort() == IsakmpSession.NAT_T_PORT;
        s.initialContact = IsakmpCodec.all(ps, NotifyPayload1.class).stream()
                .anyMatch(n -> n.notifyType() == NotifyPayload1.INITIAL_CONTACT);
        s.local = d.local();
        s.remote = d.remote();
        s.lastInbound = now;
        s.transport.phase1Complete();
        s.phase1Done(now);
    }

    private byte[] plain(List<V1Payload> payloads) {
        return p1.plain(V1ExchangeType.AGGRESSIVE, payloads);
    }

    private static Optional<V1Message> plainMessage(byte[] datagram) {
        return Phase1Exchange.plainMessage(datagram);
    }
}
