package io.causeway.esp.testing;

import io.causeway.esp.OutboundSa;
import java.util.Arrays;

/** Seals an inner packet into a fresh exact-size ESP packet. */
public final class Wire {
    private Wire() {
    }

    public static byte[] seal(OutboundSa sa, byte[] inner, int nextHeader) {
        byte[] buf = new byte[sa.headroom() + inner.length + sa.maxTailroom()];
        System.arraycopy(inner, 0, buf, sa.headroom(), inner.length);
        int len = sa.seal(buf, 0, inner.length, nextHeader);
        if (len < 0) {
            throw new IllegalStateException("seal failed: " + len);
        }
        return Arrays.copyOf(buf, len);
    }
}
