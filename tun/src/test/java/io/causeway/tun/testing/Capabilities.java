package io.causeway.tun.testing;

import io.causeway.tun.nativeio.LibC;
import jnr.ffi.Pointer;

/** Drops a capability from the calling thread only (capabilities are per thread in Linux). */
public final class Capabilities {
    public static final int CAP_NET_ADMIN = 12;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    private Capabilities() {
    }

    public static void dropFromThisThread(int capability) {
        Pointer header = LibC.allocate(8);
        header.putInt(0, LINUX_CAPABILITY_VERSION_3);
        header.putInt(4, 0); // this thread
        Pointer data = LibC.allocate(24); // 2 x { effective, permitted, inheritable }
        if (TestLibC.INSTANCE.capget(header, data) != 0) {
            throw new IllegalStateException("capget failed");
        }
        int word = capability / 32 * 12;
        int bit = 1 << (capability % 32);
        data.putInt(word, data.getInt(word) & ~bit);         // effective
        data.putInt(word + 4, data.getInt(word + 4) & ~bit); // permitted: no way back
        if (TestLibC.INSTANCE.capset(header, data) != 0) {
            throw new IllegalStateException("capset failed");
        }
    }
}
