package io.causeway.esp.testing;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspCipher;
import io.causeway.esp.EspInteg;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Suites and matching SA pairs for tests. */
public final class Sas {
    public static final int SPI = 0x11223344;

    private Sas() {
    }

    public static List<EspSuite> allSuites() {
        List<EspSuite> all = new ArrayList<>();
        for (int bits : new int[] {128, 192, 256}) {
            for (int icv : new int[] {8, 12, 16}) {
                all.add(EspSuite.aesGcm(bits, icv));
            }
            for (EspInteg integ : EspInteg.values()) {
                if (integ != EspInteg.NONE) {
                    all.add(EspSuite.cbc(EspCipher.AES_CBC, bits, integ));
                }
            }
        }
        for (EspInteg integ : EspInteg.values()) {
            if (integ != EspInteg.NONE) {
                all.add(EspSuite.cbc(EspCipher.DES3_CBC, 192, integ));
                all.add(EspSuite.cbc(EspCipher.DES_CBC, 64, integ));
            }
        }
        return all;
    }

    public static SaKeys keys(EspSuite suite, long seed) {
        Random r = new Random(seed);
        byte[] enc = new byte[suite.encKeyBytes()];
        byte[] integ = new byte[suite.integKeyBytes()];
        r.nextBytes(enc);
        r.nextBytes(integ);
        return new SaKeys(enc, integ);
    }

    public static SaConfig.Builder config(EspSuite suite, CryptoProvider provider) {
        return SaConfig.builder(SPI, suite, keys(suite, 42)).provider(provider);
    }

    public static OutboundSa out(SaConfig.Builder b) {
        return new OutboundSa(b.build());
    }

    public static InboundSa in(SaConfig.Builder b) {
        return new InboundSa(b.build());
    }
}
