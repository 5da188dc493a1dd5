package io.causeway.ike.v1.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 2409 section 5 / Appendix B key derivation, checked against the JDK's own HMAC (javax.crypto), an
 * implementation independent of the Bouncy Castle one Causeway uses.
 */
class Phase1KeysTest {
    private static final byte[] PSK = "a test pre-shared key".getBytes();
    private static final byte[] NI = TestBytes.hex("00112233445566778899aabbccddeeff0123456789abcdef");
    private static final byte[] NR = TestBytes.hex("ffeeddccbbaa99887766554433221100fedcba9876543210");
    private static final byte[] GXY = TestBytes.hex("00" + "5a".repeat(95)); // a 768-bit g^xy with a leading zero
    private static final long CKY_I = 0x0102030405060708L;
    private static final long CKY_R = 0xf1f2f3f4f5f6f7f8L;

    static byte[] jdkHmac(V1Hash hash, byte[] key, byte[]... parts) {
        String name = switch (hash) {
            case MD5 -> "HmacMD5";
            case SHA1 -> "HmacSHA1";
            case SHA2_256 -> "HmacSHA256";
            case SHA2_384 -> "HmacSHA384";
            case SHA2_512 -> "HmacSHA512";
        };
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}, {1}-byte key")
    @CsvSource({"MD5, 24", "MD5, 32", "MD5, 16", "MD5, 8", "SHA1, 24", "SHA1, 32", "SHA1, 20", "SHA1, 16",
        "SHA2_256, 32", "SHA2_256, 16", "SHA2_512, 32"})
    void keysFollowRfc2409(V1Hash h, int keyBytes) {
        Phase1Keys k = Phase1Keys.derivePsk(h, PSK, NI, NR, GXY, CKY_I, CKY_R, keyBytes);
        byte[] cky = TestBytes.hex("0102030405060708f1f2f3f4f5f6f7f8");
        byte[] skeyid = jdkHmac(h, PSK, NI, NR);
        byte[] d = jdkHmac(h, skeyid, GXY, cky, new byte[] {0});
        byte[] a = jdkHmac(h, skeyid, d, GXY, cky, new byte[] {1});
        byte[] e = jdkHmac(h, skeyid, a, GXY, cky, new byte[] {2});
        TestBytes.assertSameBytes("SKEYID", skeyid, k.skeyid());
        TestBytes.assertSameBytes("SKEYID_d", d, k.skeyidD());
        TestBytes.assertSameBytes("SKEYID_a", a, k.skeyidA());
        TestBytes.assertSameBytes("SKEYID_e", e, k.skeyidE());
        byte[] expected;
        if (e.length >= keyBytes) {
            expected = Arrays.copyOf(e, keyBytes);
        } else { // Appendix B: Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Kn+1 = prf(SKEYID_e, Kn)
            byte[] k1 = jdkHmac(h, e, new byte[] {0});
            byte[] k2 = jdkHmac(h, e, k1);
            byte[] k3 = jdkHmac(h, e, k2);
            expected = Arrays.copyOf(Bytes.concat(k1, k2, k3), keyBytes);
        }
        TestBytes.assertSameBytes("encryption key", expected, k.encryptionKey());
        assertThat(k.encryptionKey().length).isEqualTo(keyBytes);
    }

    @Test
    void threeDesWithMd5NeedsTwoExpansionBlocks() {
        byte[] skeyidE = TestBytes.hex("000102030405060708090a0b0c0d0e0f");
        byte[] ka = Phase1Keys.encryptionKey(V1Hash.MD5, skeyidE, V1Cipher.TRIPLE_DES_CBC.keyBytes(0));
        byte[] k1 = jdkHmac(V1Hash.MD5, skeyidE, new byte[] {0});
        byte[] k2 = jdkHmac(V1Hash.MD5, skeyidE, k1);
        assertThat(ka.length).isEqualTo(24);
        TestBytes.assertSameBytes("K1", k1, Arrays.copyOfRange(ka, 0, 16));
        TestBytes.assertSameBytes("first half of K2", Arrays.copyOf(k2, 8), Arrays.copyOfRange(ka, 16, 24));
        // the expanded key does not start with SKEYID_e itself
        assertThat(Arrays.equals(Arrays.copyOf(ka, 16), skeyidE)).isFalse();
    }

    @Test
    void signatureSkeyidKeysThePrfWithTheNonces() {
        byte[] s = Phase1Keys.skeyidSignature(V1Hash.SHA2_256, NI, NR, GXY);
        TestBytes.assertSameBytes("SKEYID (signatures)", jdkHmac(V1Hash.SHA2_256, Bytes.concat(NI, NR), GXY), s);
    }

    @Test
    void keysAreCopiedAndNeverPrinted() {
        Phase1Keys k = Phase1Keys.derivePsk(V1Hash.SHA1, PSK, NI, NR, GXY, CKY_I, CKY_R, 32);
        String text = k.toString();
        assertThat(text).contains("SKEYID=<20 bytes redacted>").contains("encryptionKey=<32 bytes redacted>");
        for (byte[] secret : new byte[][] {k.skeyid(), k.skeyidD(), k.skeyidA(), k.skeyidE(), k.encryptionKey()}) {
            assertThat(text.toLowerCase()).doesNotContain(java.util.HexFormat.of().formatHex(secret, 0, 4));
        }
        byte[] e = k.skeyidE();
        e[0] ^= 1;
        assertThat(Arrays.equals(e, k.skeyidE())).isFalse();
        assertThat(k).isEqualTo(Phase1Keys.derivePsk(V1Hash.SHA1, PSK, NI, NR, GXY, CKY_I, CKY_R, 32));
        assertThat(k.hashCode())
                .isEqualTo(Phase1Keys.derivePsk(V1Hash.SHA1, PSK, NI, NR, GXY, CKY_I, CKY_R, 32).hashCode());
    }

    @Test
    void negativeKeyLengthsAreRefused() {
        assertThatThrownBy(() -> Phase1Keys.encryptionKey(V1Hash.SHA1, new byte[20], -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
