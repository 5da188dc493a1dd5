package io.causeway.ike.v1.crypto;

import static io.causeway.ike.v1.crypto.Phase1KeysTest.jdkHmac;
import static io.causeway.ike.v1.crypto.TestBytes.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 2409 section 5.5 KEYMAT and its split into ESP keys, checked against the JDK's HMAC. */
class KeymatTest {
    private static final byte[] SKEYID_D = TestBytes.hex("0f0e0d0c0b0a09080706050403020100deadbeef");
    private static final byte[] NI = TestBytes.hex("11".repeat(16));
    private static final byte[] NR = TestBytes.hex("22".repeat(32));
    private static final byte[] GQM = TestBytes.hex("00" + "33".repeat(127));
    private static final int SPI = 0xc0ffee01;

    /** K1 | K2 | ... of RFC 2409 5.5, written out block by block with javax.crypto. */
    private static byte[] expected(V1Hash h, byte[] pfs, int spi, int bytes) {
        byte[] seed = Bytes.concat(pfs == null ? new byte[0] : pfs, new byte[] {3}, Bytes.of(spi), NI, NR);
        byte[] out = new byte[0];
        byte[] k = new byte[0];
        while (out.length < bytes) {
            k = jdkHmac(h, SKEYID_D, k, seed);
            out = Bytes.concat(out, k);
        }
        return Arrays.copyOf(out, bytes);
    }

    @ParameterizedTest(name = "{0} for {1}, PFS {2}")
    @CsvSource({"SHA2_512, aes256-sha512, true", "SHA2_512, aes256-sha512, false", "SHA1, aes256-sha512, true",
        "MD5, 3des-sha1, false", "SHA2_256, aes128gcm16, false", "SHA2_384, aes192-sha384, true"})
    void keymatIsTheRfc2409Expansion(V1Hash h, String esp, boolean pfs) {
        EspSuite suite = EspSuite.parse(esp);
        int bytes = Keymat.bytesFor(suite);
        byte[] g = pfs ? GQM : null;
        byte[] keymat = Keymat.derive(h, SKEYID_D, g, V1EspAlgorithms.PROTO_IPSEC_ESP, SPI, NI, NR, bytes);
        assertSameBytes("KEYMAT", expected(h, g, SPI, bytes), keymat);
        SaKeys keys = Keymat.espKeys(h, SKEYID_D, g, SPI, NI, NR, suite);
        assertSameBytes("encryption key", Arrays.copyOf(keymat, suite.encKeyBytes()), keys.encKey());
        assertSameBytes("integrity key", Arrays.copyOfRange(keymat, suite.encKeyBytes(), bytes), keys.integKey());
    }

    @Test
    void aes256WithSha512NeedsMoreThanOnePrfBlock() {
        EspSuite suite = EspSuite.parse("aes256-sha512");
        assertThat(Keymat.bytesFor(suite)).isEqualTo(32 + 64);
        byte[] keymat = Keymat.derive(V1Hash.SHA2_512, SKEYID_D, null, 3, SPI, NI, NR, 96);
        byte[] k1 = jdkHmac(V1Hash.SHA2_512, SKEYID_D, Bytes.concat(new byte[] {3}, Bytes.of(SPI), NI, NR));
        byte[] k2 = jdkHmac(V1Hash.SHA2_512, SKEYID_D, k1, Bytes.concat(new byte[] {3}, Bytes.of(SPI), NI, NR));
        assertSameBytes("K1", k1, Arrays.copyOf(keymat, 64));
        assertSameBytes("K2 (first half)", Arrays.copyOf(k2, 32), Arrays.copyOfRange(keymat, 64, 96));
        SaKeys keys = Keymat.espKeys(suite, keymat);
        assertThat(keys.encKey().length).isEqualTo(32);
        assertThat(keys.integKey().length).isEqualTo(64);
        // with SHA-1 as prf the same suite takes five blocks
        assertSameBytes("SHA-1 KEYMAT", expected(V1Hash.SHA1, null, SPI, 96),
                Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI, NI, NR, 96));
    }

    @Test
    void gcmKeysEndWithTheSaltAndHaveNoIntegrityKey() {
        EspSuite suite = EspSuite.parse("aes256gcm16");
        byte[] keymat = Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI, NI, NR, Keymat.bytesFor(suite));
        assertThat(keymat.length).isEqualTo(36);
        SaKeys keys = Keymat.espKeys(suite, keymat);
        assertSameBytes("AES key | salt", keymat, keys.encKey());
        assertThat(keys.integKey().length).isZero();
    }

    @Test
    void eachDirectionHasItsOwnKeysAndShorterOutputIsAPrefix() {
        byte[] a = Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI, NI, NR, 40);
        byte[] b = Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI + 1, NI, NR, 40);
        assertThat(Arrays.equals(a, b)).isFalse();
        assertSameBytes("prefix", Arrays.copyOf(a, 7), Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI, NI, NR, 7));
        assertThat(Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI, NI, NR, 0).length).isZero();
    }

    @Test
    void badArgumentsAreRefusedAndKeysStayRedacted() {
        EspSuite suite = EspSuite.parse("aes128-sha256");
        assertThatThrownBy(() -> Keymat.espKeys(suite, new byte[47])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 256, SPI, NI, NR, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keymat.derive(V1Hash.SHA1, SKEYID_D, null, 3, SPI, NI, NR, -1))
                .isInstanceOf(IllegalArgumentException.class);
        SaKeys keys = Keymat.espKeys(V1Hash.SHA1, SKEYID_D, null, SPI, NI, NR, suite);
        assertThat(keys.toString()).contains("redacted").doesNotContain(
                java.util.HexFormat.of().formatHex(keys.encKey(), 0, 4));
    }
}
