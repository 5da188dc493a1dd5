package io.causeway.ike.sa;

import io.causeway.conf.connection.Fragmentation;
import io.causeway.ike.v1.crypto.Phase1Hashes;
import io.causeway.ike.v1.message.FragmentPayload1;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1FragmentReassembler;
import io.causeway.ike.v1.message.V1Fragmenter;
import io.causeway.ike.v1.message.V1Message;
import io.causeway.ike.v1.message.V1PayloadType;
import io.causeway.ike.v1.message.CbcCipher;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.V1Encryption;
import io.causeway.ike.v1.message.V1ParseException;
import io.causeway.ike.v1.message.V1Payload;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one ISAKMP SA's messages travel: encryption with the IV chain of RFC 2409 Appendix B (phase 1 chains from
 * hash(g^xi | g^xr) through its messages; each quick mode and informational exchange starts from hash(last phase-1
 * block | message id) and a quick mode chains on through its own messages), the retransmission of our last
 * message that expects an answer, and answering a repeated message with our reply again: IKEv1 has no responses
 * by message id, so a peer that lost our reply sends its message again (RFC 2408 5.1; strongSwan does the same).
 */
final class IsakmpTransport {
    /** Quick modes in flight at once whose IVs we keep; more are refused (the peer's are bounded by this too). */
    static final int MAX_EXCHANGE_IVS = 16;
    private static final int REMEMBERED_REPLIES = 4;

    private final IsakmpSession s;
    private final RetransmitState retransmit;
    private CbcCipher cipher;
    private int blockBytes;
    private byte[] phase1Iv;
    private byte[] lastPhase1Block;
    private final Map<Integer, byte[]> exchangeIvs = new LinkedHashMap<>();
    private final Deque<byte[][]> replies = new ArrayDeque<>();
    private final V1FragmentReassembler fragments = new V1FragmentReassembler();
    private int fragmentId;

    IsakmpTransport(IsakmpSession session) {
        this.s = session;
        this.retransmit = new RetransmitState(session.ctx.schedule());
    }

    /** Phase-1 keys are known: from here on messages can be encrypted, starting from the phase-1 IV. */
    void keys(CbcCipher cipher, byte[] phase1Iv) {
        this.cipher = cipher;
        this.blockBytes = cipher.blockSize();
        this.phase1Iv = phase1Iv.clone();
    }

    boolean hasKeys() {
        return cipher != null;
    }

    /** Phase 1 is done: its last CBC block seeds the IVs of every later exchange. */
    void phase1Complete() {
        lastPhase1Block = phase1Iv.clone();
    }

    byte[] sealPhase1(IsakmpHeader h, List<? extends V1Payload> payloads) {
        byte[] out = V1Encryption.encrypt(h, payloads, cipher, phase1Iv);
        phase1Iv = lastBlock(out);
        return out;
    }

    /** Decrypts a phase-1 message; the IV chain moves on only when the caller accepts it ({@link #acceptPhase1}). */
    Optional<V1Encryption.Decrypted> openPhase1(byte[] datagram) {
        try {
            return Optional.of(V1Encryption.decrypt(datagram, cipher, phase1Iv));
        } catch (V1ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void acceptPhase1(V1Encryption.Decrypted d) {
        phase1Iv = d.lastCipherBlock();
    }

    /** Encrypts a quick-mode message; its last block is the IV of the exchange's next message. */
    byte[] sealExchange(IsakmpHeader h, List<? extends V1Payload> payloads) {
        byte[] iv = exchangeIvs.computeIfAbsent(h.messageId(), this::freshIv);
        byte[] out = V1Encryption.encrypt(h, payloads, cipher, iv);
        keepIv(h.messageId(), lastBlock(out));
        return out;
    }

    Optional<V1Encryption.Decrypted> openExchange(byte[] datagram, int messageId) {
        byte[] iv = exchangeIvs.get(messageId);
        try {
            return Optional.of(V1Encryption.decrypt(datagram, cipher, iv != null ? iv : freshIv(messageId)));
        } catch (V1ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void acceptExchange(int messageId, V1Encryption.Decrypted d) {
        keepIv(messageId, d.lastCipherBlock());
    }

    void endExchange(int messageId) {
        exchangeIvs.remove(messageId);
    }

    /** An informational exchange is one message: its IV always starts from the last phase-1 block. */
    byte[] sealInformational(IsakmpHeader h, List<? extends V1Payload> payloads) {
        return V1Encryption.encrypt(h, payloads, cipher, freshIv(h.messageId()));
    }

    Optional<V1Encryption.Decrypted> openInformational(byte[] datagram, int messageId) {
        try {
            return Optional.of(V1Encryption.decrypt(datagram, cipher, freshIv(messageId)));
        } catch (V1ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void keepIv(int messageId, byte[] iv) {
        exchangeIvs.remove(messageId);
        exchangeIvs.put(messageId, iv);
        while (exchangeIvs.size() > MAX_EXCHANGE_IVS) {
            exchangeIvs.remove(exchangeIvs.keySet().iterator().next());
        }
    }

    private byte[] freshIv(int messageId) {
        byte[] base = lastPhase1Block != null ? lastPhase1Block : phase1Iv;
        return Phase1Hashes.phase2Iv(s.choice.hash(), base, messageId, blockBytes);
    }

    private byte[] lastBlock(byte[] datagram) {
        return Arrays.copyOfRange(datagram, datagram.length - blockBytes, datagram.length);
    }

    /** Sends a message that needs no answer (an informational, quick mode's third message). */
    void send(byte[] datagram) {
        for (byte[] piece : pieces(datagram)) {
            s.ctx.actions().send(new IkeDatagram(piece, s.local, s.remote));
        }
    }

    /** Sends a message that expects an answer, and retransmits it until {@link #answered} or the schedule ends. */
    void request(byte[] datagram, long now) {
        List<IkeDatagram> out = pieces(datagram).stream().map(p -> new IkeDatagram(p, s.local, s.remote)).toList();
        out.forEach(s.ctx.actions()::send);
        long next = retransmit.firstSent(out, 0, now);
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.RETRANSMIT), next);
    }

    /**
     * The datagrams a message goes out as: itself, or IKEv1 fragments (payload 132, as strongSwan and Cisco send them)
     * when it does not fit the fragment size and fragmentation=force, or =yes and the peer announced fragmentation.
     */
    private List<byte[]> pieces(byte[] datagram) {
        Fragmentation mode = s.connection.fragmentation();
        boolean allowed = mode == Fragmentation.FORCE || mode == Fragmentation.YES && s.peer.fragmentation;
        int max = s.ctx.settings().maxMessageLength(s.local, s.remote);
        if (!allowed || datagram.length <= max) {
            return List.of(datagram);
        }
        fragmentId = fragmentId == 0xffff ? 1 : fragmentId + 1;
        return V1Fragmenter.split(datagram, max, fragmentId,
                s.aggressive ? V1ExchangeType.AGGRESSIVE : V1ExchangeType.IDENTITY_PROTECTION);
    }

    /**
     * A fragment of a message of the peer (payload 132): the whole message once its last fragment is in, else null.
     * One message is reassembled at a time, bounded by {@link V1FragmentReassembler}; the whole message must carry
     * this SA's cookies.
     */
    byte[] reassemble(byte[] datagram) {
        if (s.connection.fragmentation() == Fragmentation.NO) {
            return null;
        }
        try {
            V1Message m = V1Message.decodePlain(datagram);
            FragmentPayload1 f = m.first(FragmentPayload1.class).orElse(null);
            if (f == null) {
                return null;
            }
            if (fragments.offer(f) instanceof V1FragmentReassembler.Complete c) {
                byte[] whole = c.datagram();
                IsakmpHeader h = IsakmpHeader.decode(whole);
                return h.initiatorCookie() == s.cookieI && (h.responderCookie() == s.cookieR || s.cookieR == 0)
                        && h.nextPayload() != V1PayloadType.FRAGMENT ? whole : null;
            }
        } catch (V1ParseException | RuntimeException e) {
            return null;
        }
        return null;
    }

    boolean outstanding() {
        return retransmit.pending();
    }

    void answered() {
        if (retransmit.pending()) {
            retransmit.answered();
            s.ctx.actions().cancelTimer(s.timer(TimerKey.Kind.RETRANSMIT));
        }
    }

    void abandon() {
        answered();
    }

    void retransmitTimer(long now) {
        if (!retransmit.pending()) {
            return;
        }
        if (retransmit.exhausted()) {
            retransmit.answered();
            s.timedOut(now);
            return;
        }
        for (IkeDatagram d : retransmit.outstanding()) {
            // after a NAT float the addresses changed: the retransmission goes where the SA talks now
            s.ctx.actions().send(new IkeDatagram(d.bytes(), s.local, s.remote));
        }
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.RETRANSMIT), retransmit.resent(now));
    }

    /** Our reply to a message; if the same message comes again, the reply goes out again unprocessed. */
    void replied(byte[] message, byte[] reply) {
        replies.addLast(new byte[][] {message.clone(), reply.clone()});
        while (replies.size() > REMEMBERED_REPLIES) {
            replies.removeFirst();
        }
    }

    /** Sends our reply again when this datagram repeats one we answered; true if it did. */
    boolean answerRepeat(byte[] datagram) {
        for (byte[][] r : replies) {
            if (Arrays.equals(r[0], datagram)) {
                send(r[1]);
                return true;
            }
        }
        return false;
    }
}
