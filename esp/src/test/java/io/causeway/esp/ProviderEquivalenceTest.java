package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.crypto.EspTransform;
import io.causeway.esp.crypto.Transforms;
import io.causeway.esp.packet.Bytes;
import io.causeway.esp.testing.Sas;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider produces the same bytes for the same keys, header and IV, and opens every other provider's packets
 * (with several packets per transform, so a provider that kept state from the previous packet would show).
 */
class ProviderEquivalenceTest {
    private static final int PACKETS = 3;

    static Stream<EspSuite> suites() {
        return Sas.allSuites().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void identicalCiphertextAndIcv(EspSuite suite) {
        CryptoProvider[] providers = CryptoProvider.values();
        for (boolean esn : new boolean[] {false, true}) {
            SaKeys keys = Sas.keys(suite, 7);
            EspTransform[] transforms = new EspTransform[providers.length];
            for (int p = 0; p < providers.length; p++) {
                transforms[p] = Transforms.create(suite, keys, providers[p], esn);
            }
            int ptLen = 24 * suite.blockBytes();
            for (int n = 0; n < PACKETS; n++) {
                byte[] original = packet(suite, ptLen, n);
                byte[][] sealed = new byte[providers.length][];
                for (int p = 0; p < providers.length; p++) {
                    sealed[p] = original.clone();
                    transforms[p].seal(sealed[p], 0, ptLen, 0x0badcafe);
                    assertThat(sealed[p]).as("%s packet %d sealed by %s", suite, n, providers[p]).isEqualTo(sealed[0]);
                }
                for (int p = 0; p < providers.length; p++) {
                    byte[] other = sealed[(p + 1) % providers.length];
                    assertThat(transforms[p].open(other, 0, other.length, 0x0badcafe)).as("%s opens", providers[p]).isTrue();
                    int beforeIcv = other.length - suite.icvBytes(); // open leaves the ICV field as it found it
                    assertThat(Arrays.copyOf(other, beforeIcv)).isEqualTo(Arrays.copyOf(original, beforeIcv));
                }
            }
        }
    }

    private static byte[] packet(EspSuite suite, int ptLen, int n) {
        byte[] p = new byte[8 + suite.ivBytes() + ptLen + suite.icvBytes()];
        new Random(99 + n).nextBytes(p);
        Bytes.writeInt(p, 0, 0x12345678);
        Bytes.writeInt(p, 4, 77 + n);
        return p;
    }
}
