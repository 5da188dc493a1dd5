package io.causeway.tun.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causeway.tun.nativeio.LibC;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Integration tests need root and /dev/net/tun; elsewhere they are skipped, not failed. Under scripts/test
 * (CAUSEWAY_LAB_REQUIRED=1, a root run that must run them all) they fail instead.
 */
public final class Root {
    private static final boolean REQUIRED = "1".equals(System.getenv("CAUSEWAY_LAB_REQUIRED"));

    private Root() {
    }

    public static void assumeRootWithTun() {
        need(LibC.INSTANCE.geteuid() == 0, "needs root (network namespaces, TUN)");
        need(Files.exists(Path.of("/dev/net/tun")), "needs /dev/net/tun");
    }

    private static void need(boolean condition, String what) {
        if (!condition && REQUIRED) {
            fail(what + " (CAUSEWAY_LAB_REQUIRED is set by scripts/test)");
        }
        assumeTrue(condition, what);
    }
}
