package io.causeway.bench;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import java.util.Random;

/** Fixed keys and an IPv4-looking inner packet for the ESP benchmarks. */
final class BenchSas {
    private BenchSas() {
    }

    static SaConfig config(EspSuite suite, CryptoProvider provider) {
        Random r = new Random(7);
        byte[] enc = new byte[suite.encKeyBytes()];
        byte[] integ = new byte[suite.integKeyBytes()];
        r.nextBytes(enc);
        r.nextBytes(integ);
        return SaConfig.builder(0x0c0ffee0, suite, new SaKeys(enc, integ)).esn(true).provider(provider).build();
    }

    /** headroom + an inner IPv4 packet of {@code size} bytes + tailroom. */
    static byte[] buffer(int headroom, int size, int tailroom) {
        byte[] b = new byte[headroom + size + tailroom];
        new Random(size).nextBytes(b);
        b[headroom] = 0x45;
        return b;
    }
}
