package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SkCipherTest {
    private static final int HEADER = 28;
    private static final int SK_HEADER = 4;
    private static final int IV_OFFSET = HEADER + SK_HEADER;

    static Stream<Arguments> suites() {
        return Stream.of(
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA2_256_128,
                        PrfAlgorithm.HMAC_SHA2_256)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_CBC, 192, IntegrityAlgorithm.HMAC_SHA2_384_192,
                        PrfAlgorithm.HMAC_SHA2_384)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_CBC, 256, IntegrityAlgorithm.HMAC_SHA2_512_256,
                        PrfAlgorithm.HMAC_SHA2_512)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_CBC, 256, IntegrityAlgorithm.HMAC_SHA1_96,
                        PrfAlgorithm.HMAC_SHA1)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.TRIPLE_DES_CBC, 192, IntegrityAlgorithm.HMAC_SHA1_96,
                        PrfAlgorithm.HMAC_SHA1)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.DES_CBC, 64, IntegrityAlgorithm.HMAC_MD5_96,
                        PrfAlgorithm.HMAC_MD5)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_GCM_8, 128, null, PrfAlgorithm.HMAC_SHA2_256)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_GCM_12, 192, null, PrfAlgorithm.HMAC_SHA2_256)),
                Arguments.of(new IkeSuite(EncryptionAlgorithm.AES_GCM_16, 256, null, PrfAlgorithm.HMAC_SHA2_512)));
    }

    private static SkCipher cipher(IkeSuite suite, String seed) {
        RandomSource keys = new DeterministicRandomSource("keys-" + suite);
        byte[] enc = keys.nextBytes(suite.encryptionKeyBytes());
        byte[] integ = keys.nextBytes(suite.integrityKeyBytes());
        return SkCipher.create(suite, enc, integ, new DeterministicRandomSource(seed));
    }

    /** A fake IKE header and SK header followed by {@code plaintext}, with room for padding and ICV. */
    private static byte[] message(SkCipher c, byte[] plaintext) {
        byte[] msg = new byte[IV_OFFSET + c.encryptedLength(plaintext.length)];
        for (int i = 0; i < IV_OFFSET; i++) {
            msg[i] = (byte) (0x40 + i);
        }
        System.arraycopy(plaintext, 0, msg, IV_OFFSET + c.ivLength(), plaintext.length);
        return msg;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void encryptThenDecryptRoundTrips(IkeSuite suite) throws Exception {
        for (int len : new int[] {0, 1, 7, 8, 15, 16, 17, 100}) {
            byte[] plain = new DeterministicRandomSource("plain" + len).nextBytes(len);
            SkCipher sender = cipher(suite, "iv");
            byte[] msg = message(sender, plain);
            int end = sender.encrypt(msg, 0, IV_OFFSET, len);
            assertThat(end).isEqualTo(msg.length);
            assertThat((end - IV_OFFSET - sender.ivLength() - sender.icvLength()) % sender.blockSize()).isZero();
            if (len >= 16) {
                assertThat(Arrays.copyOfRange(msg, IV_OFFSET + sender.ivLength(), IV_OFFSET + sender.ivLength() + len))
                        .isNotEqualTo(plain);
            }
            SkCipher receiver = cipher(suite, "other");
            int plainLength = receiver.decrypt(msg, 0, IV_OFFSET, end);
            assertThat(plainLength).isEqualTo(len);
            int start = IV_OFFSET + receiver.ivLength();
            assertThat(Arrays.copyOfRange(msg, start, start + plainLength)).isEqualTo(plain);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void anyFlippedBitFailsTheIntegrityCheck(IkeSuite suite) throws Exception {
        SkCipher sender = cipher(suite, "iv");
        byte[] plain = new DeterministicRandomSource("flip").nextBytes(21);
        byte[] msg = message(sender, plain);
        sender.encrypt(msg, 0, IV_OFFSET, plain.length);
        for (int bit = 0; bit < msg.length * 8; bit++) {
            byte[] copy = msg.clone();
            copy[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> cipher(suite, "r").decrypt(copy, 0, IV_OFFSET, copy.length))
                    .as("bit %d", bit).isInstanceOf(IntegrityCheckException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void impossibleLengthsAreMalformed(IkeSuite suite) {
        SkCipher c = cipher(suite, "iv");
        byte[] tooShort = new byte[IV_OFFSET + c.ivLength() + c.icvLength()];
        assertThatThrownBy(() -> c.decrypt(tooShort, 0, IV_OFFSET, tooShort.length))
                .isInstanceOf(MalformedEncryptedPayloadException.class);
        if (!suite.aead()) {
            byte[] ragged = new byte[IV_OFFSET + c.ivLength() + c.blockSize() + 1 + c.icvLength()];
            assertThatThrownBy(() -> c.decrypt(ragged, 0, IV_OFFSET, ragged.length))
                    .isInstanceOf(MalformedEncryptedPayloadException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void ivsDoNotRepeat(IkeSuite suite) {
        SkCipher c = cipher(suite, "iv");
        byte[] a = message(c, new byte[10]);
        byte[] b = message(c, new byte[10]);
        c.encrypt(a, 0, IV_OFFSET, 10);
        c.encrypt(b, 0, IV_OFFSET, 10);
        assertThat(Arrays.copyOfRange(a, IV_OFFSET, IV_OFFSET + c.ivLength()))
                .isNotEqualTo(Arrays.copyOfRange(b, IV_OFFSET, IV_OFFSET + c.ivLength()));
    }

    @Test
    void paddingRules() {
        SkCipher cbc = cipher(new IkeSuite(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA1_96,
                PrfAlgorithm.HMAC_SHA1), "x");
        assertThat(cbc.paddingLength(15)).isEqualTo(1); // just the Pad Length byte
        assertThat(cbc.paddingLength(16)).isEqualTo(16);
        assertThat(cbc.encryptedLength(0)).isEqualTo(16 + 16 + 12);
        SkCipher gcm = cipher(new IkeSuite(EncryptionAlgorithm.AES_GCM_16, 128, null, PrfAlgorithm.HMAC_SHA2_256), "x");
        assertThat(gcm.paddingLength(13)).isEqualTo(1);
        assertThat(gcm.encryptedLength(13)).isEqualTo(8 + 14 + 16);
    }

    // ---- strongSwan messages (test resources crypto/strongswan-*.txt) ----

    /** Offset of the IV of the SK payload that a captured message ends with. */
    private static int skIvOffset(byte[] msg) {
        int type = msg[16] & 0xff;
        int off = HEADER;
        while (type != 46) {
            type = msg[off] & 0xff;
            off += ((msg[off + 2] & 0xff) << 8) | (msg[off + 3] & 0xff);
        }
        return off + SK_HEADER;
    }

    /** Body of the first inner payload of {@code type}, walking from the SK payload's Next Payload. */
    private static byte[] innerPayload(byte[] msg, int ivOffset, int ivLength, int plainLength, int type) {
        int next = msg[ivOffset - SK_HEADER] & 0xff;
        int off = ivOffset + ivLength;
        int end = off + plainLength;
        while (next != 0 && off < end) {
            int len = ((msg[off + 2] & 0xff) << 8) | (msg[off + 3] & 0xff);
            if (next == type) {
                return Arrays.copyOfRange(msg, off + 4, off + len);
            }
            next = msg[off] & 0xff;
            off += len;
        }
        throw new AssertionError("no payload of type " + type);
    }

    private static IkeSaKeys keys(CapturedExchange x) {
        return IkeKeyDerivation.deriveInitial(x.ike(), x.get("gir"), x.get("ni"), x.get("nr"), x.get("spi_i"),
                x.get("spi_r"));
    }

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void decryptsStrongSwansIkeAuthMessages(String name) throws Exception {
        CapturedExchange x = CapturedExchange.named(name);
        IkeSaKeys keys = keys(x);
        RandomSource unused = new DeterministicRandomSource("unused");

        byte[] request = x.get("ike_auth_request");
        SkCipher fromInitiator = SkCipher.forSender(x.ike(), keys, true, unused);
        int ivOffset = skIvOffset(request);
        int len = fromInitiator.decrypt(request, 0, ivOffset, request.length);
        int start = ivOffset + fromInitiator.ivLength();
        assertThat(Hex.of(Arrays.copyOfRange(request, start, start + len))).isEqualTo(Hex.of(x.get("ike_auth_request_plain")));
        byte[] auth = innerPayload(request, ivOffset, fromInitiator.ivLength(), len, 39);
        assertThat(Arrays.copyOfRange(auth, 4, auth.length)).isEqualTo(x.get("auth_i"));
        assertThat(Arrays.copyOfRange(auth, 0, 4)).containsExactly(2, 0, 0, 0); // Shared Key MIC

        byte[] response = x.get("ike_auth_response");
        SkCipher fromResponder = SkCipher.forSender(x.ike(), keys, false, unused);
        ivOffset = skIvOffset(response);
        len = fromResponder.decrypt(response, 0, ivOffset, response.length);
        byte[] authR = innerPayload(response, ivOffset, fromResponder.ivLength(), len, 39);
        assertThat(Arrays.copyOfRange(authR, 4, authR.length)).isEqualTo(x.get("auth_r"));
        byte[] idR = innerPayload(response, ivOffset, fromResponder.ivLength(), len, 36);
        assertThat(idR).isEqualTo(x.get("id_r_body"));
    }

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void decryptsStrongSwansCreateChildSaNonces(String name) throws Exception {
        CapturedExchange x = CapturedExchange.named(name);
        IkeSaKeys keys = keys(x);
        String[][] cases = {
            {"rekey_child_request", "rekey_child_ni", "i"}, {"rekey_child_response", "rekey_child_nr", "r"},
            {"rekey_ike_request", "rekey_ike_ni", "i"}, {"rekey_ike_response", "rekey_ike_nr", "r"},
        };
        for (String[] c : cases) {
            byte[] msg = x.get(c[0]);
            SkCipher cipher = SkCipher.forSender(x.ike(), keys, c[2].equals("i"), new DeterministicRandomSource("-"));
            int ivOffset = skIvOffset(msg);
            int len = cipher.decrypt(msg, 0, ivOffset, msg.length);
            assertThat(innerPayload(msg, ivOffset, cipher.ivLength(), len, 40)).as(c[0]).isEqualTo(x.get(c[1]));
        }
    }

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void strongSwanMessageWithTheWrongKeyOrAFlippedBitIsRejected(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        IkeSaKeys keys = keys(x);
        byte[] request = x.get("ike_auth_request");
        int ivOffset = skIvOffset(request);
        SkCipher wrongDirection = SkCipher.forSender(x.ike(), keys, false, new DeterministicRandomSource("-"));
        assertThatThrownBy(() -> wrongDirection.decrypt(request.clone(), 0, ivOffset, request.length))
                .isInstanceOf(IntegrityCheckException.class);
        byte[] flipped = request.clone();
        flipped[20] ^= 1; // Message ID in the IKE header
        SkCipher right = SkCipher.forSender(x.ike(), keys, true, new DeterministicRandomSource("-"));
        assertThatThrownBy(() -> right.decrypt(flipped, 0, ivOffset, flipped.length))
                .isInstanceOf(IntegrityCheckException.class);
    }
}
