package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.crypto.EspTransform;
import io.causeway.esp.crypto.Transforms;
import io.causeway.esp.testing.Hex;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 3602 section 4, Cases #5 to #8: whole AES-128-CBC ESP packets without integrity (SPI, Seq, IV,
 * ciphertext). Cases 5 and 6 are transport mode (ICMP, next header 1), 7 and 8 tunnel mode (next header 4).
 */
class Rfc3602PacketTest {
    private static final String KEY_CASES_5_6 = "90d382b410eeba7ad938c46cec1a82bf";
    private static final String KEY_CASES_7_8 = "0123456789abcdef0123456789abcdef";

    record Case(String name, String key, EspMode mode, int nextHeader, String espPacket, String payload) {
    }

    static Stream<Arguments> cases() {
        Case[] c = {
            // RFC 3602 s4 Case #5: transport-mode ping 192.168.123.3 -> .100, SPI 0x4321, seq 1, 64-byte ICMP
            new Case("case5", KEY_CASES_5_6, EspMode.TRANSPORT, 1,
                    "0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965"
                            + "330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d59"
                            + "13ac19b7cfbad4a6",
                    "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b"
                            + "2c2d2e2f3031323334353637"),
            // RFC 3602 s4 Case #6: transport-mode ping, SPI 0x4321, seq 8, 28-byte ICMP
            new Case("case6", KEY_CASES_5_6, EspMode.TRANSPORT, 1,
                    "000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75",
                    "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777"),
            // RFC 3602 s4 Case #7: tunnel-mode ping 192.168.123.3 -> .200, SPI 0x8765, seq 2
            new Case("case7", KEY_CASES_7_8, EspMode.TUNNEL, 4,
                    "0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf"
                            + "70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e"
                            + "0ca1e4dfe9d5a100b842f1c22f0d",
                    "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718"
                            + "191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"),
            // RFC 3602 s4 Case #8: tunnel-mode ping, SPI 0x8765, seq 5
            new Case("case8", KEY_CASES_7_8, EspMode.TUNNEL, 4,
                    "000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61"
                            + "203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892",
                    "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffff"
                            + "ffffffffffffffffffffffffffffffff"),
        };
        return Stream.of(c).flatMap(x -> Stream.of(CryptoProvider.values()).map(p -> Arguments.of(x.name, x, p)));
    }

    private static final EspSuite AES128_NO_INTEG = EspSuite.cbc(EspCipher.AES_CBC, 128, EspInteg.NONE);

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void inboundSaOpensTheRfcPacket(String name, Case c, CryptoProvider provider) {
        byte[] packet = Hex.bytes(c.espPacket);
        InboundSa sa = new InboundSa(SaConfig.builder(io.causeway.esp.packet.Bytes.readInt(packet, 0), AES128_NO_INTEG,
                new SaKeys(Hex.bytes(c.key), new byte[0])).mode(c.mode).provider(provider).build());
        Opened out = new Opened();

        assertThat(sa.open(packet, 0, packet.length, out)).isEqualTo(DropReason.NONE);
        assertThat(out.nextHeader).isEqualTo(c.nextHeader);
        assertThat(Hex.of(packet, out.innerOffset, out.innerLength)).isEqualTo(c.payload);
        assertThat(sa.open(Hex.bytes(c.espPacket), 0, packet.length, out)).isEqualTo(DropReason.REPLAY);
    }

    /** Our padding (1, 2, 3, ... to the block) is RFC 3602's, so with the RFC's IV we must produce its bytes. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void sealWithTheRfcIvReproducesThePacket(String name, Case c, CryptoProvider provider) {
        byte[] expected = Hex.bytes(c.espPacket);
        byte[] payload = Hex.bytes(c.payload);
        byte[] buf = new byte[expected.length];
        System.arraycopy(expected, 0, buf, 0, 24); // SPI, Seq and the RFC's IV
        System.arraycopy(payload, 0, buf, 24, payload.length);
        int pad = buf.length - 24 - payload.length - 2;
        for (int i = 0; i < pad; i++) {
            buf[24 + payload.length + i] = (byte) (i + 1);
        }
        buf[buf.length - 2] = (byte) pad;
        buf[buf.length - 1] = (byte) c.nextHeader;
        EspTransform t = Transforms.create(AES128_NO_INTEG, new SaKeys(Hex.bytes(c.key), new byte[0]), provider, false);

        t.seal(buf, 0, buf.length - 24, 0);

        assertThat(buf).isEqualTo(expected);
    }
}
