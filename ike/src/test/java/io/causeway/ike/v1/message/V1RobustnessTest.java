package io.causeway.ike.v1.message;

import static io.causeway.ike.v1.message.V1Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncated, corrupted and hostile IKEv1 input: decoding ends in a result or a V1ParseException, never
 * another exception, and announced counts or lengths never allocate more than the input holds.
 * Deterministic seeds, bounded iterations.
 */
class V1RobustnessTest {
    private static final long SEED = 0x1CE5EED1L;
    private static final Map<String, byte[]> MAIN_KEYS = V1Captures.keys("main");
    private static final CbcCipher AES = JceCbcCipher.aes(MAIN_KEYS.get("ka"));

    /** Decodes like the engine would; true when it decoded. Anything but V1ParseException fails the test. */
    private static boolean decodeSafely(byte[] datagram) {
        try {
            IsakmpHeader.majorVersion(datagram);
            IsakmpHeader header = IsakmpHeader.decode(datagram);
            V1Message message = header.encrypted()
                    ? V1Encryption.decrypt(datagram, AES, MAIN_KEYS.get("phase1_iv")).message()
                    : V1Message.decodePlain(datagram);
            exercise(message);
            return true;
        } catch (V1ParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            assertThat(expected.notifyType()).isPositive();
            return false;
        }
    }

    private static void exercise(V1Message message) {
        assertThat(message.toString()).isNotNull();
        for (V1Payload p : message.payloadList()) {
            if (p instanceof IdPayload1 id) {
                id.asSubnet();
                id.text();
            } else if (p instanceof SaPayload1 sa) {
                sa.proposals().forEach(pr -> pr.transforms().forEach(t -> t.attributes().forEach(Attribute1::number)));
            } else if (p instanceof VendorIdPayload1 v) {
                v.knownName();
            }
        }
        byte[] again = V1PayloadChain.encode(message.payloadList());
        assertThat(again).hasSize(V1PayloadChain.encodedLength(message.payloadList()));
        if (!message.payloads().isEmpty()) {
            message.wireBytesAfter(0);
        }
        new V1FragmentReassembler().offer(message.first(FragmentPayload1.class)
                .orElse(new FragmentPayload1(1, 1, FragmentPayload1.LAST, new byte[0])));
    }

    private static void setLength(byte[] datagram, int length) {
        ByteBuffer.wrap(datagram).putInt(24, length);
    }

    @Test
    void everyTruncationOfEveryCapture() {
        for (String name : V1Captures.ALL) {
            byte[] full = V1Captures.message(name);
            for (int length = 0; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                assertThat(decodeSafely(cut)).as(name + " cut to " + length).isFalse();
                // with the header length fixed, so the payload parsers are reached
                if (length >= IsakmpHeader.LENGTH) {
                    setLength(cut, length);
                    decodeSafely(cut);
                }
            }
            if ((full[19] & IsakmpHeader.FLAG_ENCRYPTION) == 0 || name.equals("main-05")) {
                assertThat(decodeSafely(full)).as(name).isTrue(); // the others need other keys or IVs
            }
        }
    }

    @Test
    void randomByteFlips() {
        Random random = new Random(SEED);
        int decoded = 0;
        for (int round = 0; round < 10_000; round++) {
            byte[] message = V1Captures.message(V1Captures.ALL.get(random.nextInt(V1Captures.ALL.size())));
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // favour the header and the first payload headers, where the lengths live
                int at = random.nextBoolean() ? random.nextInt(Math.min(80, message.length)) : random.nextInt(message.length);
                message[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : message[at] ^ (1 << random.nextInt(8)));
            }
            if (decodeSafely(message)) {
                decoded++;
            }
        }
        assertThat(decoded).as("some corrupted messages still decode (flips inside nonces and keys)").isPositive();
    }

    @Test
    void randomChains() {
        Random random = new Random(SEED + 1);
        int[] types = {V1PayloadType.SA, V1PayloadType.KE, V1PayloadType.ID, V1PayloadType.HASH, V1PayloadType.NONCE,
            V1PayloadType.NOTIFY, V1PayloadType.DELETE, V1PayloadType.VENDOR_ID, V1PayloadType.NAT_D, V1PayloadType.NAT_OA,
            V1PayloadType.NAT_OA_DRAFT, V1PayloadType.FRAGMENT, V1PayloadType.PROPOSAL, 99, 0};
        for (int round = 0; round < 10_000; round++) {
            byte[] buf = new byte[random.nextInt(200)];
            random.nextBytes(buf);
            // plausible lengths now and then
            if (buf.length >= 4 && random.nextBoolean()) {
                buf[2] = 0;
                buf[3] = (byte) Math.max(4, random.nextInt(buf.length + 1));
                buf[0] = (byte) types[random.nextInt(types.length)];
            }
            try {
                List<DecodedPayload1> chain = V1PayloadChain.decode(types[random.nextInt(types.length)], buf, 0, buf.length);
                exercise(new V1Message(IsakmpHeader.of(1, 2, 2, 0, 0), chain));
            } catch (V1ParseException expected) {
                // fine
            }
        }
    }

    @Test
    void decryptingNoiseOrWithTheWrongIvOnlyEndsInParseErrors() {
        Random random = new Random(SEED + 2);
        byte[] mm5 = V1Captures.message("main", 5);
        for (int round = 0; round < 3_000; round++) {
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            byte[] datagram = mm5.clone();
            int at = IsakmpHeader.LENGTH + random.nextInt(mm5.length - IsakmpHeader.LENGTH);
            datagram[at] ^= (byte) (1 + random.nextInt(255));
            try {
                exercise(V1Encryption.decrypt(datagram, AES, iv).message());
            } catch (V1ParseException expected) {
                // fine
            }
        }
        byte[] odd = mm5.clone();
        setLength(odd, mm5.length - 1);
        assertThatThrownBy(() -> V1Encryption.decrypt(odd, AES, new byte[16])).isInstanceOfSatisfying(V1ParseException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.BAD_LENGTH));
        byte[] empty = Arrays.copyOf(mm5, IsakmpHeader.LENGTH);
        setLength(empty, IsakmpHeader.LENGTH);
        assertThatThrownBy(() -> V1Encryption.decrypt(empty, AES, new byte[16])).isInstanceOf(V1ParseException.class);
        assertThatThrownBy(() -> V1Encryption.decrypt(V1Captures.message("main", 1), AES, new byte[16]))
                .isInstanceOf(V1ParseException.class);
    }

    @Test
    void hostileCountsAndLengths() {
        // more than 64 payloads
        List<V1Payload> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add(new VendorIdPayload1(new byte[] {(byte) i}));
        }
        assertLimit(() -> V1PayloadChain.decode(V1PayloadType.VENDOR_ID, V1PayloadChain.encode(many)));
        assertThat(catchDecode(() -> V1PayloadChain.decode(V1PayloadType.VENDOR_ID,
                V1PayloadChain.encode(many.subList(0, 64))))).isNull();

        // more than 64 proposals, transforms, attributes
        TransformPayload1 t = TransformPayload1.of(1, 1);
        List<ProposalPayload1> proposals = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            proposals.add(new ProposalPayload1(i + 1, 1, new byte[0], List.of(t)));
        }
        assertLimit(() -> V1PayloadChain.decode(V1PayloadType.SA, V1PayloadChain.encode(List.of(SaPayload1.ipsec(proposals)))));
        List<TransformPayload1> transforms = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            transforms.add(TransformPayload1.of(i + 1, 1));
        }
        assertLimit(() -> V1PayloadChain.decode(V1PayloadType.SA, V1PayloadChain.encode(List.of(SaPayload1.ipsec(
                List.of(new ProposalPayload1(1, 1, new byte[0], transforms)))))));
        List<Attribute1> attributes = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            attributes.add(Attribute1.basic(i + 1, 1));
        }
        assertLimit(() -> V1PayloadChain.decode(V1PayloadType.SA, V1PayloadChain.encode(List.of(SaPayload1.ipsec(
                List.of(new ProposalPayload1(1, 1, new byte[0], List.of(new TransformPayload1(1, 1, attributes)))))))));

        // a proposal announcing 255 transforms, SPI size 255, with almost nothing behind
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.SA, hex("00000014 00000001 00000001 0000000c 0101 00ff 00000000")));
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.SA, hex("00000014 00000001 00000001 0000000c 0101 ff01 00000000")));
        // a transform count smaller than the transforms present
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.SA,
                hex("0000001c 00000001 00000001 00000014 0101 0001 03000008 01010000 00000008 02010000")));
        // a delete of 65535 SPIs in 8 bytes, a 65535-byte payload in 8 bytes, a TLV attribute of 65535 bytes
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.DELETE, hex("00000010 00000001 0304ffff 01020304")));
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.HASH, hex("0000ffff 01020304")));
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.SA,
                hex("00000018 00000001 00000001 00000010 01010001 00000008 0101 0000 0001ffff")));
        // generic payload length below 4, proposal and transform lengths below 8
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.HASH, hex("00000003 00000000")));
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.SA, hex("00000010 00000001 00000001 00000004")));
        // wrong nested next payload values
        assertParse(() -> V1PayloadChain.decode(V1PayloadType.SA, hex("00000014 00000001 00000001 0500000c 01010000")));
        // header length far beyond the datagram
        byte[] header = V1Message.encode(IsakmpHeader.of(1, 2, 2, 0, 0), List.of());
        setLength(header, -1);
        assertParse(() -> IsakmpHeader.decode(header));
        assertParse(() -> IsakmpHeader.decode(null));
    }

    @Test
    void reassemblerUnderRandomFragments() {
        Random random = new Random(SEED + 3);
        V1FragmentReassembler r = new V1FragmentReassembler();
        int complete = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] data = new byte[random.nextInt(5000)];
            FragmentPayload1 f = new FragmentPayload1(random.nextInt(3), 1 + random.nextInt(20),
                    random.nextInt(4) == 0 ? FragmentPayload1.LAST : 0, data);
            if (r.offer(f) instanceof V1FragmentReassembler.Complete c) {
                assertThat(c.datagram().length).isLessThanOrEqualTo(V1FragmentReassembler.MAX_BYTES);
                complete++;
            }
        }
        assertThat(complete).isPositive();
    }

    private interface Decode {
        Object run() throws V1ParseException;
    }

    private static V1ParseException catchDecode(Decode d) {
        try {
            d.run();
            return null;
        } catch (V1ParseException e) {
            return e;
        }
    }

    private static void assertParse(Decode d) {
        assertThat(catchDecode(d)).as("a V1ParseException").isNotNull();
    }

    private static void assertLimit(Decode d) {
        V1ParseException e = catchDecode(d);
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
    }
}
