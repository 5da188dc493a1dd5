package io.causeway.esp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspInteg;
import io.causeway.esp.packet.Bytes;
import io.causeway.esp.testing.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** HMAC vectors, truncated to the ESP ICV length (RFC 2403, RFC 2404, RFC 4868 2.3). */
class HmacKnownAnswerTest {

    static Stream<Arguments> vectors() {
        byte[] hiThere = "Hi There".getBytes(StandardCharsets.US_ASCII);
        byte[] jefe = "Jefe".getBytes(StandardCharsets.US_ASCII);
        byte[] what = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
        byte[] truncation = "Test With Truncation".getBytes(StandardCharsets.US_ASCII);
        return Stream.of(
                // RFC 2202 section 2, test_case 1 (HMAC-MD5)
                Arguments.of(EspInteg.HMAC_MD5_96, fill(0x0b, 16), hiThere, "9294727a3638bb1c13f48ef8158bfc9d"),
                // RFC 2202 section 2, test_case 2 (HMAC-MD5)
                Arguments.of(EspInteg.HMAC_MD5_96, jefe, what, "750c783e6ab0b503eaa86e310a5db738"),
                // RFC 2202 section 3, test_case 1 (HMAC-SHA-1)
                Arguments.of(EspInteg.HMAC_SHA1_96, fill(0x0b, 20), hiThere, "b617318655057264e28bc0b6fb378c8ef146be00"),
                // RFC 2202 section 3, test_case 5 (HMAC-SHA-1-96 truncation)
                Arguments.of(EspInteg.HMAC_SHA1_96, fill(0x0c, 20), truncation, "4c1a03424b55e07fe7f27be1"),
                // RFC 4868 section 2.7.2.1, Test Case AUTH256-1
                Arguments.of(EspInteg.HMAC_SHA2_256_128, fill(0x0b, 32), hiThere,
                        "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"),
                // RFC 4868 section 2.7.2.2, Test Case AUTH384-1
                Arguments.of(EspInteg.HMAC_SHA2_384_192, fill(0x0b, 48), hiThere,
                        "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc4c5df61d5b3297b4fb68dab9f1b582c2"),
                // RFC 4868 section 2.7.2.3, Test Case AUTH512-1
                Arguments.of(EspInteg.HMAC_SHA2_512_256, fill(0x0b, 64), hiThere,
                        "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"
                                + "ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b"),
                // RFC 4231 section 4.3, Test Case 2 (HMAC-SHA-256)
                Arguments.of(EspInteg.HMAC_SHA2_256_128, jefe, what, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                // RFC 4231 section 4.3, Test Case 2 (HMAC-SHA-384)
                Arguments.of(EspInteg.HMAC_SHA2_384_192, jefe, what,
                        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
                // RFC 4231 section 4.3, Test Case 2 (HMAC-SHA-512)
                Arguments.of(EspInteg.HMAC_SHA2_512_256, jefe, what,
                        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"))
                .flatMap(a -> Stream.of(CryptoProvider.values()).map(p -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3], p)));
    }

    @ParameterizedTest(name = "{0} {4} -> {3}")
    @MethodSource("vectors")
    void truncatedIcvIsThePrefixOfTheRfcDigest(EspInteg integ, byte[] key, byte[] data, String fullDigest, CryptoProvider provider) {
        Icv icv = Transforms.hmac(integ, key, provider);
        byte[] out = new byte[integ.icvBytes()];
        icv.compute(data, 0, data.length, false, 0, out, 0);
        assertThat(Hex.of(out, 0, out.length)).isEqualTo(fullDigest.substring(0, integ.icvBytes() * 2));
    }

    /** RFC 4303 2.2.1: with ESN the high 32 bits are authenticated as if appended to the packet. */
    @ParameterizedTest
    @EnumSource(value = EspInteg.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void esnHighBitsAreAppendedToTheIcvInput(EspInteg integ) {
        byte[] key = fill(0x5a, integ.keyBytes());
        byte[] packet = "some ESP header, IV and ciphertext".getBytes(StandardCharsets.US_ASCII);
        byte[] withSeqHi = Arrays.copyOf(packet, packet.length + 4);
        Bytes.writeInt(withSeqHi, packet.length, 0x01020304);
        for (CryptoProvider p : CryptoProvider.values()) {
            Icv icv = Transforms.hmac(integ, key, p);
            byte[] esn = new byte[integ.icvBytes()];
            byte[] plain = new byte[integ.icvBytes()];
            icv.compute(packet, 0, packet.length, true, 0x01020304, esn, 0);
            icv.compute(withSeqHi, 0, withSeqHi.length, false, 0, plain, 0);
            assertThat(esn).isEqualTo(plain);
        }
    }

    private static byte[] fill(int b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }
}
