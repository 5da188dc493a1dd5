package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrfTest {
    private static final byte[] HI_THERE = "Hi There".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WHAT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LARGE_KEY_MSG =
            "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII);

    private static byte[] repeat(int b, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    @ParameterizedTest(name = "RFC 4231 test case 1, {0}")
    @CsvSource({
        "HMAC_SHA2_256, b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "HMAC_SHA2_384, afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
        "HMAC_SHA2_512, 87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                + "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
    })
    void rfc4231TestCase1(PrfAlgorithm algorithm, String expected) {
        assertThat(Prf.of(algorithm).apply(repeat(0x0b, 20), HI_THERE)).isEqualTo(Hex.bytes(expected));
    }

    @ParameterizedTest(name = "RFC 4231 test case 2, {0}")
    @CsvSource({
        "HMAC_SHA2_256, 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "HMAC_SHA2_384, af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
        "HMAC_SHA2_512, 164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                + "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    })
    void rfc4231TestCase2(PrfAlgorithm algorithm, String expected) {
        // the data is split to check that parts are concatenated
        assertThat(Prf.of(algorithm).apply(JEFE, Arrays.copyOf(WHAT, 10), Arrays.copyOfRange(WHAT, 10, WHAT.length)))
                .isEqualTo(Hex.bytes(expected));
    }

    @ParameterizedTest(name = "RFC 4231 test case 6 (key longer than the block), {0}")
    @CsvSource({
        "HMAC_SHA2_256, 60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "HMAC_SHA2_384, 4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
        "HMAC_SHA2_512, 80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                + "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
    })
    void rfc4231TestCase6(PrfAlgorithm algorithm, String expected) {
        assertThat(Prf.of(algorithm).apply(repeat(0xaa, 131), LARGE_KEY_MSG)).isEqualTo(Hex.bytes(expected));
    }

    @Test
    void rfc2202Md5TestCases1And2And6() {
        Prf md5 = Prf.of(PrfAlgorithm.HMAC_MD5);
        assertThat(md5.apply(repeat(0x0b, 16), HI_THERE)).isEqualTo(Hex.bytes("9294727a3638bb1c13f48ef8158bfc9d"));
        assertThat(md5.apply(JEFE, WHAT)).isEqualTo(Hex.bytes("750c783e6ab0b503eaa86e310a5db738"));
        assertThat(md5.apply(repeat(0xaa, 80), LARGE_KEY_MSG)).isEqualTo(Hex.bytes("6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"));
    }

    @Test
    void rfc2202Sha1TestCases1And2And6() {
        Prf sha1 = Prf.of(PrfAlgorithm.HMAC_SHA1);
        assertThat(sha1.apply(repeat(0x0b, 20), HI_THERE))
                .isEqualTo(Hex.bytes("b617318655057264e28bc0b6fb378c8ef146be00"));
        assertThat(sha1.apply(JEFE, WHAT)).isEqualTo(Hex.bytes("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
        assertThat(sha1.apply(repeat(0xaa, 80), LARGE_KEY_MSG))
                .isEqualTo(Hex.bytes("aa4ae5e15272d00e95705637ce8a3b55ed402112"));
    }

    @Test
    void prfPlusFollowsTheRfc7296Construction() {
        // Internally consistent check of RFC 7296 2.13: T1 = prf(K, S | 0x01), T2 = prf(K, T1 | S | 0x02)
        Prf prf = Prf.of(PrfAlgorithm.HMAC_SHA2_256);
        byte[] key = repeat(0x11, 32);
        byte[] seed = repeat(0x22, 40);
        byte[] t1 = prf.apply(key, seed, new byte[] {1});
        byte[] t2 = prf.apply(key, t1, seed, new byte[] {2});
        byte[] t3 = prf.apply(key, t2, seed, new byte[] {3});
        byte[] out = prf.plus(key, seed, 70);
        assertThat(Arrays.copyOfRange(out, 0, 32)).isEqualTo(t1);
        assertThat(Arrays.copyOfRange(out, 32, 64)).isEqualTo(t2);
        assertThat(Arrays.copyOfRange(out, 64, 70)).isEqualTo(Arrays.copyOf(t3, 6));
    }

    @Test
    void prfPlusStopsAt255Blocks() {
        Prf prf = Prf.of(PrfAlgorithm.HMAC_SHA1);
        assertThat(prf.plus(new byte[20], new byte[1], 255 * 20)).hasSize(255 * 20);
        assertThatThrownBy(() -> prf.plus(new byte[20], new byte[1], 255 * 20 + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void algorithmsMapFromConfAndIanaIds() {
        assertThat(PrfAlgorithm.of(io.causeway.conf.proposal.Algorithms.named("prfsha384")))
                .isEqualTo(PrfAlgorithm.HMAC_SHA2_384);
        assertThat(PrfAlgorithm.forIanaId(5)).contains(PrfAlgorithm.HMAC_SHA2_256);
        assertThat(PrfAlgorithm.forIanaId(4)).isEmpty(); // AES128_XCBC: not implemented
    }
}
