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

/** JCE and Bouncy Castle produce the same bytes for the same keys, header and IV, and open each other's packets. */
class ProviderEquivalenceTest {

    static Stream<EspSuite> suites() {
        return Sas.allSuites().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void identicalCiphertextAndIcv(EspSuite suite) {
        for (boolean esn : new boolean[] {false, true}) {
            SaKeys keys = Sas.keys(suite, 7);
            EspTransform jce = Transforms.create(suite, keys, CryptoProvider.JCE, esn);
            EspTransform bc = Transforms.create(suite, keys, CryptoProvider.BOUNCY_CASTLE, esn);
            int ptLen = 24 * suite.blockBytes();
            byte[] a = packet(suite, ptLen);
            byte[] b = a.clone();

            jce.seal(a, 0, ptLen, 0x0badcafe);
            bc.seal(b, 0, ptLen, 0x0badcafe);

            assertThat(a).isEqualTo(b);
            byte[] original = packet(suite, ptLen);
            assertThat(jce.open(b, 0, b.length, 0x0badcafe)).isTrue();
            assertThat(bc.open(a, 0, a.length, 0x0badcafe)).isTrue();
            int beforeIcv = a.length - suite.icvBytes(); // open leaves the ICV field as it found it, not as original
            assertThat(Arrays.copyOf(a, beforeIcv)).isEqualTo(Arrays.copyOf(original, beforeIcv));
            assertThat(Arrays.copyOf(b, beforeIcv)).isEqualTo(Arrays.copyOf(original, beforeIcv));
        }
    }

    private static byte[] packet(EspSuite suite, int ptLen) {
        byte[] p = new byte[8 + suite.ivBytes() + ptLen + suite.icvBytes()];
        new Random(99).nextBytes(p);
        Bytes.writeInt(p, 0, 0x12345678);
        Bytes.writeInt(p, 4, 77);
        return p;
    }
}
