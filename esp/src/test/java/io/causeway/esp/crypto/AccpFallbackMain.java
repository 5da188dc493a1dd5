package io.causeway.esp.crypto;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.DropReason;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.testing.Sas;

/**
 * Run by AccpFallbackProcessTest in a JVM where ACCP's native library is kept from loading: two SA pairs that ask
 * for ACCP carry a packet, and the provider that ran is printed.
 */
public final class AccpFallbackMain {
    private AccpFallbackMain() {
    }

    public static void main(String[] args) {
        for (String name : new String[] {"aes128gcm16", "aes256-sha1"}) {
            EspSuite suite = EspSuite.parse(name);
            SaConfig cfg = Sas.config(suite, CryptoProvider.ACCP).build();
            OutboundSa out = new OutboundSa(cfg);
            InboundSa in = new InboundSa(cfg);
            byte[] buf = new byte[out.headroom() + 100 + out.maxTailroom()];
            buf[out.headroom()] = 0x45;
            int len = out.seal(buf, 0, 100, 4);
            DropReason opened = in.open(buf, 0, len, new Opened());
            System.out.println(name + " opened=" + opened);
        }
        JceGcmTransform gcm = (JceGcmTransform) Transforms.create(EspSuite.parse("aes128gcm16"),
                Sas.keys(EspSuite.parse("aes128gcm16"), 1), CryptoProvider.ACCP, false);
        System.out.println("provider=" + gcm.provider().getName());
    }
}
