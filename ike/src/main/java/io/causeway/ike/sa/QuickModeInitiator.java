package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.v1.crypto.QuickModeHashes;
import io.causeway.ike.v1.message.DecodedPayload1;
import io.causeway.ike.v1.message.HashPayload1;
import io.causeway.ike.v1.message.IdPayload1;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.KePayload1;
import io.causeway.ike.v1.message.NoncePayload1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.V1Encryption;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.V1PayloadType;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Our quick mode (RFC 2409 5.5) for one selector pair: HASH(1), SA, Ni [, KE], IDci, IDcr out; HASH(2) and the
 * responder's choice back; HASH(3) out, and the IPsec SA pair is installed. A rekey is the same exchange for the pair
 * of an SA about to expire; the old SA is deleted once the new one is in (make before break).
 */
final class QuickModeInitiator {
    final IsakmpSession s;
    final QuickModes.Wanted wanted;
    final int messageId;
    private final int ourSpi;
    private byte[] nonceI;
    private DhKeyPair pfs;

    QuickModeInitiator(IsakmpSession session, QuickModes.Wanted wanted) {
        this.s = session;
        this.wanted = wanted;
        this.messageId = session.randomNonZero();
        this.ourSpi = session.randomNonZero();
    }

    void start(long now) {
        Connection c = wanted.connection();
        nonceI = s.ctx.random().nextBytes(IsakmpSession.NONCE_BYTES);
        List<V1Payload> rest = new ArrayList<>();
        rest.add(Phase2Proposals.offer(c.esp(), ourSpi, QuickModeKeys.encapsulation(s, c), c.lifetime().toSeconds(),
                c.lifeBytes()));
        rest.add(new NoncePayload1(nonceI));
        int group = Phase2Proposals.pfsGroup(c.esp());
        if (group != 0) {
            pfs = DhGroup.forId(group).generate(s.ctx.random());
            rest.add(new KePayload1(pfs.publicValue()));
        }
        rest.add(QuickModeKeys.id(wanted.local()));
        rest.add(QuickModeKeys.id(wanted.remote()));
        rest.addAll(QuickModeKeys.natOa(s, c));
        byte[] hash = QuickModeHashes.hash1(s.choice.hash(), s.keys.skeyidA(), messageId, IsakmpCodec.chain(rest));
        List<V1Payload> payloads = new ArrayList<>();
        payloads.add(new HashPayload1(hash));
        payloads.addAll(rest);
        byte[] out = s.transport.sealExchange(IsakmpCodec.header(s, V1ExchangeType.QUICK_MODE, messageId, true,
                V1PayloadType.HASH), payloads);
        s.transport.request(out, now);
    }

    /** Quick mode message 2; true when this exchange is over (done or failed). */
    boolean receive(byte[] datagram, long now) {
        Optional<V1Encryption.Decrypted> m = s.transport.openExchange(datagram, messageId);
        if (m.isEmpty() || m.get().payloads().isEmpty()
                || !(m.get().payloads().get(0).payload() instanceof HashPayload1 hash)) {
            s.ctx.drops().drop();
            return false;
        }
        List<DecodedPayload1> ps = m.get().payloads();
        byte[] expected = QuickModeHashes.hash2(s.choice.hash(), s.keys.skeyidA(), messageId, nonceI,
                IsakmpCodec.receivedAfterFirst(ps));
        if (!MessageDigest.isEqual(expected, hash.hash())) {
            s.ctx.drops().drop(); // not from the peer, or damaged: the retransmission may still succeed
            return false;
        }
        s.transport.answered();
        s.transport.acceptExchange(messageId, m.get());
        s.lastInbound = now;
        Connection c = wanted.connection();
        Optional<SaPayload1> sa = IsakmpCodec.first(ps, SaPayload1.class);
        Optional<NoncePayload1> nonce = IsakmpCodec.first(ps, NoncePayload1.class);
        Optional<Phase2Proposals.Choice> choice = sa.flatMap(x -> Phase2Proposals.accepted(c.esp(), x));
        if (choice.isEmpty() || nonce.isEmpty()) {
            return failed("the peer chose an ESP transform we did not offer", FailureCause.NO_PROPOSAL);
        }
        List<IdPayload1> ids = IsakmpCodec.all(ps, IdPayload1.class);
        if (!ids.isEmpty() && (ids.size() != 2 || !sameSelector(ids.get(0), wanted.local())
                || !sameSelector(ids.get(1), wanted.remote()))) {
            return failed("the peer answered with other selectors than " + wanted.local() + " === " + wanted.remote(),
                    FailureCause.TS_UNACCEPTABLE);
        }
        byte[] pfsSecret = null;
        if (pfs != null) {
            Optional<KePayload1> ke = IsakmpCodec.first(ps, KePayload1.class);
            if (ke.isEmpty() || choice.get().pfsGroup() != pfs.group().id()) {
                return failed("the peer did not answer PFS group " + pfs.group().id(), FailureCause.NO_PROPOSAL);
            }
            try {
                pfsSecret = pfs.sharedSecret(ke.get().keyExchangeData());
            } catch (InvalidPeerKeyException e) {
                return failed("the peer's quick mode KE is not valid", FailureCause.OTHER);
            }
        }
        byte[] nonceR = nonce.get().nonce();
        byte[] hash3 = QuickModeHashes.hash3(s.choice.hash(), s.keys.skeyidA(), messageId, nonceI, nonceR);
        byte[] third = s.transport.sealExchange(IsakmpCodec.header(s, V1ExchangeType.QUICK_MODE, messageId, true,
                V1PayloadType.HASH), List.of(new HashPayload1(hash3)));
        s.transport.send(third);
        s.transport.replied(datagram, third);
        s.transport.endExchange(messageId);
        ChildSaInstall sa3 = QuickModeKeys.install(s, c, choice.get(), ourSpi, pfsSecret, nonceI, nonceR,
                List.of(wanted.local()), List.of(wanted.remote()));
        s.quick.installed(c, sa3, wanted.replaces(), true, now);
        s.ctx.actions().exchangeCompleted(c.name(), V1ExchangeType.QUICK_MODE, true);
        return true;
    }

    private static boolean sameSelector(IdPayload1 id, Subnet selector) {
        return id.asSubnet().map(x -> x.address().equals(selector.address())
                && x.prefixLength() == selector.prefixLength()).orElse(false);
    }

    /** The peer refused this quick mode, or our retransmissions ran out. */
    boolean failed(String why, FailureCause cause) {
        s.transport.answered();
        s.transport.endExchange(messageId);
        Connection c = wanted.connection();
        if (wanted.replaces() == null) {
            s.reportFailed(c, TunnelState.PHASE2_FAILED, why, cause);
        }
        return true;
    }
}
