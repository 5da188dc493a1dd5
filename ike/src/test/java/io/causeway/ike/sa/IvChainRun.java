package io.causeway.ike.sa;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.causeway.ike.TunnelState;
import io.causeway.ike.sa.IsakmpIvChainFuzzTest.Suite;
import io.causeway.ike.v1.crypto.Phase1Hashes;
import io.causeway.ike.v1.message.CbcCipher;
import io.causeway.ike.v1.message.DecodedPayload1;
import io.causeway.ike.v1.message.IsakmpHeader;
import io.causeway.ike.v1.message.IvChain;
import io.causeway.ike.v1.message.V1Encryption;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1ParseException;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.V1PayloadChain;
import io.causeway.ike.v1.message.V1PayloadType;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One script of IsakmpIvChainFuzzTest. The peer seals and opens with {@link IvChain} (RFC 2409 Appendix B: phase 1
 * from hash(g^xi | g^xr) through its messages, each quick mode from hash(last phase-1 block | message id) through
 * its own, each informational from that hash alone); what our transport's IV must be is tracked beside it,
 * including its bound of {@link IsakmpTransport#MAX_EXCHANGE_IVS} quick-mode IVs. Checked at every step:
 * <ul>
 * <li>opening gives what V1Encryption.decrypt gives with the expected IV, which either returns the payloads or
 *     throws V1ParseException (nothing else escapes);</li>
 * <li>a genuine message with the right IV decrypts to exactly what was sealed, and while an exchange's IV was not
 *     pushed out by too many others, the right IV is RFC 2409's on both sides, sending and receiving;</li>
 * <li>a message with a flipped ciphertext octet never decrypts to what was sealed unless the flip lies wholly in
 *     padding after the chain; it, raw bytes and repeats are never accepted, so the chain after them still opens the
 *     next genuine message;</li>
 * <li>a repeat of a message we answered is answered again with the same reply, without decrypting.</li>
 * </ul>
 */
final class IvChainRun {
    private static final int MAX_OPERATIONS = 48;
    private static final int MAX_EXCHANGES = 48;
    private static final int REMEMBERED_REPLIES = 4;
    private static final long COOKIE_I = 0x0123456789abcdefL;
    private static final long COOKIE_R = 0x7edcba9876543210L;
    private static final byte[] GXI = filled(256, 0x11);
    private static final byte[] GXR = filled(256, 0x22);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(Net.ip("192.0.2.1"), 500);
    private static final InetSocketAddress REMOTE = new InetSocketAddress(Net.ip("192.0.2.2"), 500);

    enum Kind { PHASE1, QUICK, INFORMATIONAL }

    /** One exchange as both sides see it; steps count the messages both sides took. */
    static final class Exchange {
        final Kind kind;
        final int messageId;
        final boolean peerStarts;
        final int messages;
        int step;
        IvChain peerChain;
        Sent pending;
        byte[] lastFromPeer;
        boolean ended;
        /** Our transport forgot its IV for more recent quick modes: from here on the two sides may disagree. */
        boolean evicted;

        Exchange(Kind kind, int messageId, boolean peerStarts, int messages) {
            this.kind = kind;
            this.messageId = messageId;
            this.peerStarts = peerStarts;
            this.messages = messages;
        }

        boolean peersTurn() {
            return !ended && step < messages && (step % 2 == 0) == peerStarts;
        }

        boolean oursTurn() {
            return !ended && step < messages && (step % 2 == 0) != peerStarts;
        }

        boolean lastMessage() {
            return step == messages - 1;
        }
    }

    /** A datagram the peer sealed, with the IV it used and the plaintext (chain and padding) it encrypted. */
    record Sent(Exchange exchange, int step, byte[] datagram, byte[] iv, byte[] plaintext) {
    }

    /** Actions that keep only what the transport sent since the last clear. */
    static final class QuietActions implements IkeActions {
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public void send(IkeDatagram datagram) {
            sent.add(datagram.bytes());
        }

        @Override
        public void setTimer(TimerKey key, long atMillis) {
        }

        @Override
        public void cancelTimer(TimerKey key) {
        }

        @Override
        public void installChildSa(ChildSaInstall child) {
        }

        @Override
        public void removeChildSa(ChildSaRemoval child) {
        }

        @Override
        public void activateOutbound(String connection, int inboundSpi) {
        }

        @Override
        public void stateChanged(String connection, TunnelState state, String lastError) {
        }
    }

    private final CbcCipher cipher;
    private final int block;
    private final int hashLength;
    private final UnaryOperator<byte[]> hash;
    private final IsakmpTransport transport;
    private final V1Payloads payloads;
    private final IvChain peerPhase1;
    private byte[] peerLastPhase1;
    private byte[] ourPhase1Iv;
    private byte[] ourLastPhase1;
    private final Map<Integer, byte[]> ourExchangeIvs = new LinkedHashMap<>();
    private final Deque<byte[][]> ourReplies = new ArrayDeque<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final List<Sent> fromPeer = new ArrayList<>();

    IvChainRun(Suite suite, boolean aggressive, boolean weInitiate) {
        this.cipher = suite.cbc();
        this.block = cipher.blockSize();
        this.hash = bytes -> suite.hash().hash(bytes);
        this.hashLength = hash.apply(new byte[0]).length;
        this.payloads = new V1Payloads(hashLength);
        IsakmpSession session = IsakmpSession.responder(IsakmpIvChainFuzzTest.CONTEXT,
                List.of(IsakmpIvChainFuzzTest.CONNECTION), COOKIE_I, COOKIE_R, aggressive, LOCAL, REMOTE);
        session.choice = new Phase1Proposals.Choice(suite.cipher(), suite.keyBits(), suite.hash(), null, 28_800, null, null);
        this.transport = session.transport;
        transport.keys(cipher, Phase1Hashes.phase1Iv(suite.hash(), GXI, GXR, block));
        this.peerPhase1 = new IvChain(IvChain.phase1Iv(hash, GXI, GXR, block));
        this.ourPhase1Iv = peerPhase1.current();
        // main mode encrypts messages 5 (initiator) and 6; aggressive mode only message 3 (initiator)
        exchanges.add(new Exchange(Kind.PHASE1, 0, !weInitiate, aggressive ? 1 : 2));
    }

    void play(FuzzedDataProvider data) {
        for (int op = 0; op < MAX_OPERATIONS && data.remainingBytes() > 0; op++) {
            switch (data.consumeInt(0, 8)) {
                case 0 -> pick(data, exchanges.stream().filter(x -> x.peersTurn() && x.pending == null).toList())
                        .ifPresent(x -> peerSeals(x, data));
                case 1 -> pick(data, fromPeer).ifPresent(s -> deliver(s.datagram(), s, -1, s.exchange()));
                case 2 -> pick(data, fromPeer).ifPresent(s -> {
                    byte[] copy = s.datagram().clone();
                    int at = data.consumeInt(0, copy.length - 1);
                    copy[at] ^= (byte) data.consumeInt(1, 255);
                    deliver(copy, s, at, s.exchange());
                });
                case 3 -> pick(data, exchanges).ifPresent(x -> deliver(raw(x, data), null, -1, x));
                case 4 -> pick(data, exchanges.stream().filter(Exchange::oursTurn).toList()).ifPresent(x -> weSeal(x, data));
                case 5 -> pick(data, exchanges.stream().filter(x -> x.kind == Kind.QUICK && !x.ended).toList())
                        .ifPresent(this::endQuickMode);
                case 6 -> newExchange(data);
                default -> manyQuickModes(data);
            }
        }
    }

    private void newExchange(FuzzedDataProvider data) {
        boolean quick = data.consumeBoolean();
        int messageId = data.consumeBoolean() ? data.consumeInt(1, 20) : data.consumeInt();
        newExchange(quick ? Kind.QUICK : Kind.INFORMATIONAL, messageId, data.consumeBoolean());
    }

    /**
     * Quick modes started at once under consecutive ids, enough to push the oldest IVs out of the transport: we send
     * their first messages, or the peer does and we answer each, which fills the reply cache beyond its bound.
     */
    private void manyQuickModes(FuzzedDataProvider data) {
        int count = data.consumeInt(1, IsakmpTransport.MAX_EXCHANGE_IVS + 4);
        int firstId = data.consumeInt(1, 1000);
        boolean peerStarts = data.consumeBoolean();
        for (int i = 0; i < count; i++) {
            newExchange(Kind.QUICK, firstId + i, peerStarts).ifPresent(x -> {
                if (peerStarts) {
                    peerSeals(x, data);
                    deliver(x.pending.datagram(), x.pending, -1, x);
                }
                if (x.oursTurn()) {
                    weSeal(x, data);
                }
            });
        }
    }

    private Optional<Exchange> newExchange(Kind kind, int messageId, boolean peerStarts) {
        boolean phase1Done = ourLastPhase1 != null && peerLastPhase1 != null;
        boolean idInUse = exchanges.stream().anyMatch(x -> x.kind == Kind.QUICK && !x.ended && x.messageId == messageId);
        if (!phase1Done || exchanges.size() >= MAX_EXCHANGES || kind == Kind.QUICK && idInUse) {
            return Optional.empty();
        }
        Exchange x = new Exchange(kind, messageId, peerStarts, kind == Kind.QUICK ? 3 : 1);
        exchanges.add(x);
        return Optional.of(x);
    }

    private void peerSeals(Exchange x, FuzzedDataProvider data) {
        byte[] iv = peerIv(x);
        byte[] chain = data.consumeInt(0, 3) > 0 ? V1PayloadChain.encode(payloads.wellFormed(data)) : payloads.rawChain(data);
        IsakmpHeader header = new IsakmpHeader(COOKIE_I, COOKIE_R, V1PayloadType.HASH, exchangeType(x),
                IsakmpHeader.FLAG_ENCRYPTION, x.kind == Kind.PHASE1 ? 0 : x.messageId, 0);
        byte[] datagram = V1Encryption.encryptEncoded(header, V1PayloadType.HASH, chain, cipher, iv);
        byte[] plaintext = Arrays.copyOf(chain, datagram.length - IsakmpHeader.LENGTH);
        byte[] last = lastBlock(datagram);
        switch (x.kind) {
            case PHASE1 -> {
                peerPhase1.advance(last);
                if (x.lastMessage()) {
                    peerLastPhase1 = last;
                }
            }
            case QUICK -> peerChain(x).advance(last);
            case INFORMATIONAL -> { }
        }
        x.pending = new Sent(x, x.step, datagram, iv, plaintext);
        fromPeer.add(x.pending);
    }

    private void weSeal(Exchange x, FuzzedDataProvider data) {
        List<V1Payload> chain = payloads.wellFormed(data);
        byte[] encoded = V1PayloadChain.encode(chain);
        IsakmpHeader header = new IsakmpHeader(COOKIE_I, COOKIE_R, V1PayloadType.HASH, exchangeType(x),
                IsakmpHeader.FLAG_ENCRYPTION, x.kind == Kind.PHASE1 ? 0 : x.messageId, 0);
        byte[] expectedIv = ourIv(x);
        boolean last = x.lastMessage();
        byte[] out = switch (x.kind) {
            case PHASE1 -> transport.sealPhase1(header, chain);
            case QUICK -> transport.sealExchange(header, chain);
            case INFORMATIONAL -> transport.sealInformational(header, chain);
        };
        Optional<List<DecodedPayload1>> withExpectedIv = decrypt(out, expectedIv);
        if (withExpectedIv.isEmpty() || !Arrays.equals(wireOf(withExpectedIv.get()), encoded)) {
            throw new AssertionError(x.kind + " message " + x.step + " was not sealed with the IV of its exchange");
        }
        switch (x.kind) {
            case PHASE1 -> {
                ourPhase1Iv = lastBlock(out);
                if (last) {
                    transport.phase1Complete();
                    ourLastPhase1 = ourPhase1Iv;
                }
            }
            case QUICK -> {
                keepOurIv(x.messageId, lastBlock(out));
                if (last) {
                    transport.endExchange(x.messageId);
                    ourExchangeIvs.remove(x.messageId);
                }
            }
            case INFORMATIONAL -> { }
        }
        if (x.lastFromPeer != null) {
            transport.replied(x.lastFromPeer, out);
            ourReplies.addLast(new byte[][] {x.lastFromPeer, out});
            while (ourReplies.size() > REMEMBERED_REPLIES) {
                ourReplies.removeFirst();
            }
        }
        byte[] peerIv = peerIv(x);
        boolean inStep = Arrays.equals(expectedIv, peerIv);
        if (!inStep && !x.evicted) {
            throw new AssertionError("our " + x.kind + " IV for message " + x.step + " is not RFC 2409 Appendix B's");
        }
        Optional<List<DecodedPayload1>> atPeer = decrypt(out, peerIv);
        boolean peerReadsIt = atPeer.isPresent() && Arrays.equals(wireOf(atPeer.get()), encoded);
        if (peerReadsIt != inStep) {
            throw new AssertionError("the peer " + (inStep ? "cannot read" : "reads") + " our " + x.kind + " message "
                    + x.step + " sealed with " + (inStep ? "its" : "another") + " IV");
        }
        if (!inStep) {
            return;
        }
        switch (x.kind) {
            case PHASE1 -> {
                peerPhase1.advance(lastBlock(out));
                if (last) {
                    peerLastPhase1 = lastBlock(out);
                }
            }
            case QUICK -> peerChain(x).advance(lastBlock(out));
            case INFORMATIONAL -> { }
        }
        x.step++;
        x.ended = x.step == x.messages;
    }

    /** origin: the peer's message this is (or a changed copy of, when flippedAt >= 0); null for raw bytes. */
    private void deliver(byte[] datagram, Sent origin, int flippedAt, Exchange route) {
        byte[] cachedReply = ourReplies.stream().filter(r -> Arrays.equals(r[0], datagram)).map(r -> r[1]).findFirst()
                .orElse(null);
        IsakmpIvChainFuzzTest.ACTIONS.sent.clear();
        boolean repeated = transport.answerRepeat(datagram);
        if (repeated != (cachedReply != null)) {
            throw new AssertionError("a " + (repeated ? "new message was taken for a repeat" : "repeat was not answered"));
        }
        if (repeated) {
            List<byte[]> sent = IsakmpIvChainFuzzTest.ACTIONS.sent;
            if (sent.size() != 1 || !Arrays.equals(sent.get(0), cachedReply)) {
                throw new AssertionError("a repeat was answered with something other than our reply");
            }
            return;
        }
        byte[] iv = ourIv(route);
        Optional<List<DecodedPayload1>> direct = decrypt(datagram, iv);
        Optional<V1Encryption.Decrypted> opened = switch (route.kind) {
            case PHASE1 -> transport.openPhase1(datagram);
            case QUICK -> transport.openExchange(datagram, route.messageId);
            case INFORMATIONAL -> transport.openInformational(datagram, route.messageId);
        };
        if (opened.isPresent() != direct.isPresent()
                || opened.isPresent() && !Arrays.equals(wireOf(opened.get().payloads()), wireOf(direct.get()))) {
            throw new AssertionError(route.kind + " open differs from decrypting with the exchange's IV");
        }
        if (origin == null) {
            return;
        }
        boolean rightIv = Arrays.equals(iv, origin.iv());
        if (origin == route.pending && !route.evicted && !rightIv) {
            throw new AssertionError("our " + route.kind + " IV for the peer's message " + route.step
                    + " is not RFC 2409 Appendix B's");
        }
        Optional<List<DecodedPayload1>> sealed = decode(origin.plaintext());
        boolean asSealed = opened.isPresent() && sealed.isPresent()
                && Arrays.equals(wireOf(opened.get().payloads()), wireOf(sealed.get()));
        if (flippedAt >= 0) {
            if (asSealed && rightIv && flippedAt >= IsakmpHeader.LENGTH && flipMustShow(flippedAt, wireOf(sealed.get()).length)) {
                throw new AssertionError("a flip at octet " + flippedAt + " went unseen in the chain");
            }
            return; // never accepted: a HASH would not verify
        }
        if (rightIv && asSealed != sealed.isPresent() || !rightIv && asSealed) {
            throw new AssertionError("the peer's " + route.kind + " message " + origin.step() + (rightIv
                    ? " does not decrypt to what was sealed" : " decrypts with the wrong IV"));
        }
        if (asSealed && origin == route.pending) {
            accept(route, opened.get(), datagram);
        }
    }

    /**
     * CBC decryption turns a flipped ciphertext octet into a garbled plaintext block and the same flip one block later.
     * The flip always shows when its copy lands in the chain; the garbling shows unless it leaves every chain octet of
     * its block as it was, which for eight or more octets is a 2^-64 chance: only then is an unseen flip a finding.
     */
    private boolean flipMustShow(int flippedAt, int chainLength) {
        int offset = flippedAt - IsakmpHeader.LENGTH;
        int garbledStart = offset / block * block;
        int chainOctetsGarbled = Math.max(0, Math.min(block, chainLength - garbledStart));
        return offset + block < chainLength || chainOctetsGarbled >= 8;
    }

    private void accept(Exchange x, V1Encryption.Decrypted d, byte[] datagram) {
        if (!Arrays.equals(d.lastCipherBlock(), lastBlock(datagram))) {
            throw new AssertionError("the next IV is not the message's last ciphertext block");
        }
        switch (x.kind) {
            case PHASE1 -> {
                transport.acceptPhase1(d);
                ourPhase1Iv = d.lastCipherBlock();
                if (x.lastMessage()) {
                    transport.phase1Complete();
                    ourLastPhase1 = ourPhase1Iv;
                }
            }
            case QUICK -> {
                transport.acceptExchange(x.messageId, d);
                keepOurIv(x.messageId, d.lastCipherBlock());
                if (x.lastMessage()) {
                    transport.endExchange(x.messageId);
                    ourExchangeIvs.remove(x.messageId);
                }
            }
            case INFORMATIONAL -> { }
        }
        x.lastFromPeer = datagram;
        x.pending = null;
        x.step++;
        x.ended = x.step == x.messages;
    }

    private void endQuickMode(Exchange x) {
        transport.endExchange(x.messageId);
        ourExchangeIvs.remove(x.messageId);
        x.ended = true;
        x.pending = null;
    }

    /** As IsakmpTransport keeps quick-mode IVs: the most recently used last, the oldest beyond the bound dropped. */
    private void keepOurIv(int messageId, byte[] iv) {
        ourExchangeIvs.remove(messageId);
        ourExchangeIvs.put(messageId, iv);
        while (ourExchangeIvs.size() > IsakmpTransport.MAX_EXCHANGE_IVS) {
            int oldest = ourExchangeIvs.keySet().iterator().next();
            ourExchangeIvs.remove(oldest);
            exchanges.stream().filter(x -> x.kind == Kind.QUICK && !x.ended && x.messageId == oldest)
                    .forEach(x -> x.evicted = true);
        }
    }

    private byte[] ourIv(Exchange x) {
        return switch (x.kind) {
            case PHASE1 -> ourPhase1Iv;
            case QUICK -> ourExchangeIvs.containsKey(x.messageId) ? ourExchangeIvs.get(x.messageId)
                    : IvChain.phase2Iv(hash, ourLastPhase1, x.messageId, block);
            case INFORMATIONAL -> IvChain.phase2Iv(hash, ourLastPhase1, x.messageId, block);
        };
    }

    private byte[] peerIv(Exchange x) {
        return switch (x.kind) {
            case PHASE1 -> peerPhase1.current();
            case QUICK -> peerChain(x).current();
            case INFORMATIONAL -> IvChain.phase2Iv(hash, peerLastPhase1, x.messageId, block);
        };
    }

    private IvChain peerChain(Exchange x) {
        if (x.peerChain == null) {
            x.peerChain = new IvChain(IvChain.phase2Iv(hash, peerLastPhase1, x.messageId, block));
        }
        return x.peerChain;
    }

    /** An encrypted-looking datagram of the exchange with ciphertext from the input, or the input alone. */
    private byte[] raw(Exchange x, FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeBytes(data.consumeInt(0, 300));
        }
        byte[] body = data.consumeBytes(block * data.consumeInt(0, 12));
        IsakmpHeader header = new IsakmpHeader(COOKIE_I, COOKIE_R, data.consumeInt(0, 255), exchangeType(x),
                IsakmpHeader.FLAG_ENCRYPTION, x.kind == Kind.PHASE1 ? 0 : x.messageId, IsakmpHeader.LENGTH + body.length);
        ByteBuffer out = ByteBuffer.allocate(IsakmpHeader.LENGTH + body.length);
        header.encode(out);
        return out.put(body).array();
    }

    /** V1Encryption.decrypt's payloads, or empty for its V1ParseException; anything else escapes as a finding. */
    private Optional<List<DecodedPayload1>> decrypt(byte[] datagram, byte[] iv) {
        try {
            return Optional.of(V1Encryption.decrypt(datagram, cipher, iv).payloads());
        } catch (V1ParseException refused) {
            return Optional.empty();
        }
    }

    private static Optional<List<DecodedPayload1>> decode(byte[] plaintext) {
        try {
            return Optional.of(V1PayloadChain.decode(V1PayloadType.HASH, plaintext));
        } catch (V1ParseException refused) {
            return Optional.empty();
        }
    }

    private static byte[] wireOf(List<DecodedPayload1> chain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chain.forEach(p -> out.writeBytes(p.wire()));
        return out.toByteArray();
    }

    private byte[] lastBlock(byte[] datagram) {
        return Arrays.copyOfRange(datagram, datagram.length - block, datagram.length);
    }

    private static int exchangeType(Exchange x) {
        return switch (x.kind) {
            case PHASE1 -> x.messages == 1 ? V1ExchangeType.AGGRESSIVE : V1ExchangeType.IDENTITY_PROTECTION;
            case QUICK -> V1ExchangeType.QUICK_MODE;
            case INFORMATIONAL -> V1ExchangeType.INFORMATIONAL;
        };
    }

    private static <T> Optional<T> pick(FuzzedDataProvider data, List<T> from) {
        return from.isEmpty() ? Optional.empty() : Optional.of(from.get(data.consumeInt(0, from.size() - 1)));
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }
}
