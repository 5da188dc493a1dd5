package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Flipping any single bit of a sealed packet must make it undeliverable, and must not move the replay window. */
class TamperTest {

    static Stream<Arguments> cases() {
        return Stream.of("aes128gcm16", "aes256gcm8", "aes128-sha256", "aes256-sha512", "3des-sha1", "des-md5")
                .flatMap(s -> Stream.of(CryptoProvider.values()).map(p -> Arguments.of(EspSuite.parse(s), p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyBitFlipIsRejected(EspSuite suite, CryptoProvider p) {
        SaConfig.Builder cfg = Sas.config(suite, p);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        byte[] esp = Wire.seal(out, Packets.udp("10.0.0.1", "10.0.0.2", 21), 4);
        Opened opened = new Opened();

        for (int bit = 0; bit < esp.length * 8; bit++) {
            byte[] bad = esp.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            DropReason expected = bit < 32 ? DropReason.NO_SA // SPI changed: not this SA
                    : bit == 56 ? DropReason.REPLAY // sequence number 1 became 0, which is never valid
                    : DropReason.AUTH_FAILED;
            assertThat(in.open(bad, 0, bad.length, opened)).as("bit %d", bit).isEqualTo(expected);
        }
        assertThat(in.open(esp, 0, esp.length, opened)).isEqualTo(DropReason.NONE);
        assertThat(in.counters().drops(DropReason.AUTH_FAILED)).isEqualTo(esp.length * 8L - 33);
    }
}
