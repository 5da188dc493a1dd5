package io.causeway.ike.v2.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Truncated and corrupted versions of the strongSwan captures: decoding must end in a result or an
 * InvalidMessageException, never another exception or a hang. Deterministic seed, bounded iterations.
 */
class RobustnessTest {
    private static final long SEED = 0x1CE5EEDL;

    @Test
    void everyTruncationOfEveryCapture() {
        for (String name : Captures.ALL) {
            byte[] full = Captures.message(name);
            for (int length = 0; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                decodeSafely(cut);
                // the header length field still claims the full size: fix it so the payload parsers are reached
                if (length >= IkeHeader.LENGTH) {
                    cut[24] = (byte) (length >>> 24);
                    cut[25] = (byte) (length >>> 16);
                    cut[26] = (byte) (length >>> 8);
                    cut[27] = (byte) length;
                    decodeSafely(cut);
                }
            }
        }
    }

    @Test
    void randomByteFlips() {
        Random random = new Random(SEED);
        int decoded = 0;
        for (int round = 0; round < 30_000; round++) {
            byte[] message = Captures.message(Captures.ALL.get(random.nextInt(Captures.ALL.size())));
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // favour the header and payload headers, where the lengths live
                int at = random.nextBoolean() ? random.nextInt(Math.min(64, message.length)) : random.nextInt(message.length);
                message[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : message[at] ^ (1 << random.nextInt(8)));
            }
            if (decodeSafely(message)) {
                decoded++;
            }
        }
        assertThat(decoded).as("some corrupted messages still decode (e.g. flips inside key data)").isPositive();
    }

    @Test
    void randomInnerChains() {
        Random random = new Random(SEED + 1);
        int[] types = {PayloadType.SA, PayloadType.KE, PayloadType.IDI, PayloadType.AUTH, PayloadType.NONCE,
                PayloadType.NOTIFY, PayloadType.DELETE, PayloadType.TSI, PayloadType.TSR, PayloadType.SK, 99, 0};
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (bytes.length >= 4 && random.nextBoolean()) { // a plausible generic header
                bytes[0] = (byte) types[random.nextInt(types.length)];
                bytes[2] = 0;
                bytes[3] = (byte) bytes.length;
            }
            try {
                PayloadChain.decodeInner(types[random.nextInt(types.length)], bytes);
            } catch (InvalidMessageException expected) {
                // the declared failure
            }
        }
    }

    @Test
    void hugeLengthFieldsAllocateNothing() {
        // SA payload announcing a 65535-byte payload inside a 40-byte message; header says 40
        byte[] m = Captures.hex("0000000000000001 0000000000000000 21 20 22 08 00000000 00000028 00 00 ffff 00 00 fff0 01 01 00 ff");
        assertThat(decodeSafely(m)).isFalse();
    }

    @Test
    void truncatedDecryptedChainsOfTheCapturedIkeAuth() {
        // an inner chain shape like strongSwan's IKE_AUTH request, cut everywhere
        byte[] chain = PayloadChain.encode(List.of(
                IdPayload.of(true, io.causeway.conf.net.Identity.parse("west.example")),
                NotifyPayload.of(NotifyType.INITIAL_CONTACT),
                new AuthPayload(2, new byte[32]),
                SaPayload.of(io.causeway.conf.proposal.Proposal.parseEsp("aes128gcm16"), new byte[4]),
                new TrafficSelectorPayload(true, List.of(AddressRangeSelector.ofPrefix(
                        java.net.InetAddress.getLoopbackAddress(), 8)))));
        for (int length = 0; length < chain.length; length++) {
            try {
                PayloadChain.decodeInner(PayloadType.IDI, Arrays.copyOf(chain, length));
            } catch (InvalidMessageException expected) {
                // declared
            }
        }
    }

    /** True if it decoded; false if it threw the declared exception; anything else fails the test. */
    private static boolean decodeSafely(byte[] message) {
        try {
            IkeMessage m = IkeMessage.decode(message);
            m.toString();
            if (m.isProtected()) {
                try {
                    m.skLayout(16, 16);
                } catch (InvalidMessageException tooShort) {
                    // declared
                }
            }
            return true;
        } catch (InvalidMessageException expected) {
            return false;
        }
    }
}
