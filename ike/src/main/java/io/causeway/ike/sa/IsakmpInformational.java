package io.causeway.ike.sa;

import io.causeway.conf.connection.DpdAction;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v1.crypto.QuickModeHashes;
import io.causeway.ike.v1.message.DecodedPayload1;
import io.causeway.ike.v1.message.DeletePayload1;
import io.causeway.ike.v1.message.HashPayload1;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.NotifyPayload1;
import io.causeway.ike.v1.message.ProposalPayload1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.V1Encryption;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1Message;
import io.causeway.ike.v1.message.V1ParseException;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.V1PayloadType;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IKEv1's informational exchange (RFC 2408 4.8, RFC 2409 5.7): one protected message, HASH(1) first, carrying
 * DELETEs of the ISAKMP SA or IPsec SAs (a peer's ISAKMP DELETE takes the IPsec SAs with it, as strongSwan does),
 * notifications, and dead peer detection (RFC 3706): while nothing arrives for dpddelay we send R-U-THERE with a
 * sequence number each dpddelay, and the peer is dead when no R-U-THERE-ACK came for dpdtimeout.
 */
final class IsakmpInformational {
    private final IsakmpSession s;
    private int dpdSequence;
    /** When our first unanswered R-U-THERE went out; MIN_VALUE when none is unanswered. */
    private long dpdUnansweredSince = Long.MIN_VALUE;

    IsakmpInformational(IsakmpSession session) {
        this.s = session;
        this.dpdSequence = session.randomNonZero() & 0x7fffffff; // RFC 3706 6: start at a random value
    }

    static NotifyPayload1 initialContact(IsakmpSession s) {
        return new NotifyPayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_ISAKMP, cookies(s),
                NotifyPayload1.INITIAL_CONTACT, new byte[0]);
    }

    static byte[] cookies(IsakmpSession s) {
        return ByteBuffer.allocate(16).putLong(s.cookieI).putLong(s.cookieR).array();
    }

    /** An unprotected error notification answering a phase-1 message we refuse (no keys exist yet). */
    static void refuse(IsakmpSession s, byte[] request, int notifyType) {
        NotifyPayload1 n = new NotifyPayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_ISAKMP, new byte[0], notifyType,
                new byte[0]);
        byte[] out = V1Message.encode(IsakmpCodec.header(s, V1ExchangeType.INFORMATIONAL, 0, false, V1PayloadType.NOTIFY),
                List.of(n));
        s.transport.send(out);
    }

    /** A protected notification (an error answering the peer's quick mode). */
    void notifyPeer(int notifyType) {
        send(List.of(new NotifyPayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_IPSEC_ESP, new byte[0], notifyType,
                new byte[0])));
    }

    void deleteChild(ChildSaBook.Entry e) {
        if (!s.established()) {
            return;
        }
        send(List.of(new DeletePayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_IPSEC_ESP, 4,
                List.of(Phase2Proposals.spiBytes(e.sa.inboundSpi())))));
    }

    /** Shutdown or close: DELETE of every IPsec SA, then of the ISAKMP SA itself. */
    void deleteAll() {
        for (ChildSaBook.Entry e : s.children.live()) {
            deleteChild(e);
        }
        deleteIsakmp();
    }

    void deleteIsakmp() {
        send(List.of(new DeletePayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_ISAKMP, 16, List.of(cookies(s)))));
    }

    private void send(List<? extends V1Payload> payloads) {
        if (!s.transport.hasKeys()) {
            return;
        }
        int messageId = s.randomNonZero();
        byte[] hash = QuickModeHashes.informational(s.choice.hash(), s.keys.skeyidA(), messageId, IsakmpCodec.chain(payloads));
        List<V1Payload> all = new ArrayList<>();
        all.add(new HashPayload1(hash));
        all.addAll(payloads);
        s.transport.send(s.transport.sealInformational(IsakmpCodec.header(s, V1ExchangeType.INFORMATIONAL, messageId,
                true, V1PayloadType.HASH), all));
    }

    void receive(byte[] datagram, IsakmpHeader h, long now) {
        if (!h.encrypted()) {
            unprotected(datagram);
            return;
        }
        Optional<V1Encryption.Decrypted> m = s.transport.hasKeys() ? s.transport.openInformational(datagram, h.messageId())
                : Optional.empty();
        if (m.isEmpty() || m.get().payloads().isEmpty()
                || !(m.get().payloads().get(0).payload() instanceof HashPayload1 hash)) {
            undecryptable();
            return;
        }
        List<DecodedPayload1> ps = m.get().payloads();
        byte[] expected = QuickModeHashes.informational(s.choice.hash(), s.keys.skeyidA(), h.messageId(),
                IsakmpCodec.receivedAfterFirst(ps));
        if (!MessageDigest.isEqual(expected, hash.hash())) {
            undecryptable();
            return;
        }
        s.lastInbound = now;
        s.ctx.actions().exchangeCompleted(s.connection.name(), V1ExchangeType.INFORMATIONAL, false);
        for (NotifyPayload1 n : IsakmpCodec.all(ps, NotifyPayload1.class)) {
            notified(n, now);
        }
        for (DeletePayload1 d : IsakmpCodec.all(ps, DeletePayload1.class)) {
            deleted(d);
            if (s.closed()) {
                return;
            }
        }
    }

    /**
     * A protected message we cannot read. While our main mode message 5 waits for its answer this is how a peer with
     * another PSK answers (strongSwan sends its error notification encrypted with its own keys): phase 1 fails at
     * once with the words a user needs. Otherwise it is dropped.
     */
    private void undecryptable() {
        if (s.initiator && s.phase == IsakmpSession.Phase.ID_SENT) {
            s.transport.answered();
            s.fail(TunnelState.PHASE1_FAILED, Phase1Exchange.PSK_MISMATCH + ": the peer's answer to main mode message 5"
                    + " does not decrypt with our key", FailureCause.AUTH_FAILED);
        } else {
            s.ctx.drops().drop();
        }
    }

    /** An error notification before phase 1 has keys: the peer refused our offer or could not decrypt us. */
    private void unprotected(byte[] datagram) {
        if (!s.initiator || s.established()) {
            s.ctx.drops().drop(); // anyone can send these; only a phase 1 of ours waits for one
            return;
        }
        Optional<NotifyPayload1> n;
        try {
            n = IsakmpCodec.first(V1Message.decodePlain(datagram).payloads(), NotifyPayload1.class);
        } catch (V1ParseException | RuntimeException e) {
            n = Optional.empty();
        }
        if (n.isEmpty() || n.get().notifyType() >= NotifyPayload1.CONNECTED) {
            s.ctx.drops().drop();
            return;
        }
        int type = n.get().notifyType();
        String name = NotifyPayload1.name(type);
        FailureCause cause = switch (type) {
            case NotifyPayload1.NO_PROPOSAL_CHOSEN -> FailureCause.NO_PROPOSAL;
            case NotifyPayload1.AUTHENTICATION_FAILED, NotifyPayload1.INVALID_HASH_INFORMATION,
                 NotifyPayload1.PAYLOAD_MALFORMED, NotifyPayload1.INVALID_PAYLOAD_TYPE -> FailureCause.AUTH_FAILED;
            case NotifyPayload1.INVALID_ID_INFORMATION -> FailureCause.AUTH_FAILED;
            default -> FailureCause.OTHER;
        };
        String words = switch (cause) {
            case NO_PROPOSAL -> "no proposal chosen: the peer refused our phase-1 proposal (" + name + ")";
            case AUTH_FAILED -> s.phase == IsakmpSession.Phase.ID_SENT ? Phase1Exchange.PSK_MISMATCH + ": the peer answered "
                    + name : "the peer refused phase 1: " + name;
            default -> "the peer refused phase 1: " + name;
        };
        s.transport.answered();
        s.fail(TunnelState.PHASE1_FAILED, words, cause);
    }

    private void notified(NotifyPayload1 n, long now) {
        switch (n.notifyType()) {
            case NotifyPayload1.R_U_THERE -> send(List.of(new NotifyPayload1(SaPayload1.DOI_IPSEC,
                    ProposalPayload1.PROTO_ISAKMP, cookies(s), NotifyPayload1.R_U_THERE_ACK, n.data())));
            case NotifyPayload1.R_U_THERE_ACK -> {
                if (n.data().length == 4 && ByteBuffer.wrap(n.data()).getInt() == dpdSequence) {
                    dpdUnansweredSince = Long.MIN_VALUE;
                }
            }
            case NotifyPayload1.NO_PROPOSAL_CHOSEN -> s.quick.refused(NotifyPayload1.name(n.notifyType()),
                    FailureCause.NO_PROPOSAL, now);
            case NotifyPayload1.INVALID_ID_INFORMATION -> s.quick.refused(NotifyPayload1.name(n.notifyType()),
                    FailureCause.TS_UNACCEPTABLE, now);
            default -> {
                if (n.notifyType() < NotifyPayload1.CONNECTED) {
                    s.quick.refused(NotifyPayload1.name(n.notifyType()), FailureCause.OTHER, now);
                }
                // status notifications (RESPONDER-LIFETIME, REPLAY-STATUS, INITIAL-CONTACT here) need nothing
            }
        }
    }

    private void deleted(DeletePayload1 d) {
        if (d.protocolId() == ProposalPayload1.PROTO_ISAKMP) {
            for (byte[] spi : d.spis()) {
                if (java.util.Arrays.equals(spi, cookies(s))) {
                    if (s.superseded) {
                        s.close(); // replaced by our re-authentication: its IPsec SAs live on in the new ISAKMP SA
                        return;
                    }
                    s.allDown("the peer deleted the ISAKMP SA", DownCause.PEER_DELETED);
                    return;
                }
            }
        } else if (d.protocolId() == ProposalPayload1.PROTO_IPSEC_ESP) {
            for (byte[] spi : d.spis()) {
                if (spi.length == 4) {
                    s.quick.peerDeleted(ByteBuffer.wrap(spi).getInt());
                }
            }
        }
    }

    /** DPD runs when both sides announced it (RFC 3706 5) and dpdaction is not none. */
    void armDpd(long now) {
        if (s.peer.dpd && s.connection.dpdAction() != DpdAction.NONE && !s.connection.dpdDelay().isZero()
                && s.established()) {
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.DPD), now + s.connection.dpdDelay().toMillis());
        }
    }

    void dpdTimer(long now) {
        if (!s.established()) {
            return;
        }
        long delay = s.connection.dpdDelay().toMillis();
        long heard = lastHeard();
        if (dpdUnansweredSince != Long.MIN_VALUE && heard >= dpdUnansweredSince) {
            dpdUnansweredSince = Long.MIN_VALUE; // traffic from the peer is as good as an ACK
        }
        if (dpdUnansweredSince != Long.MIN_VALUE && now - dpdUnansweredSince >= s.connection.dpdTimeout().toMillis()) {
            dead();
            return;
        }
        if (dpdUnansweredSince != Long.MIN_VALUE || heard == Long.MIN_VALUE || now - heard >= delay) {
            if (dpdUnansweredSince == Long.MIN_VALUE) {
                dpdUnansweredSince = now;
            }
            dpdSequence = dpdSequence + 1 == 0 ? 1 : dpdSequence + 1;
            send(List.of(new NotifyPayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_ISAKMP, cookies(s),
                    NotifyPayload1.R_U_THERE, ByteBuffer.allocate(4).putInt(dpdSequence).array())));
            long timeoutAt = dpdUnansweredSince + s.connection.dpdTimeout().toMillis();
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.DPD), Math.min(now + delay, Math.max(now + 1, timeoutAt)));
            return;
        }
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.DPD), heard + delay);
    }

    /** The last sign of life: an authenticated IKE message or ESP on any of our inbound SAs. */
    private long lastHeard() {
        long heard = s.lastInbound;
        for (ChildSaBook.Entry e : s.children.live()) {
            heard = Math.max(heard, s.ctx.activity().lastInbound(e.sa.inboundSpi()));
        }
        return heard;
    }

    private void dead() {
        DpdAction action = s.connection.dpdAction();
        s.restartWanted = action == DpdAction.RESTART;
        s.allDown("dead peer: no answer to R-U-THERE for " + s.connection.dpdTimeout().toSeconds() + " s",
                DownCause.DEAD_PEER);
    }
}
