package io.causeway.tun.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causeway.tun.nativeio.LibC;
import java.nio.file.Files;
import java.nio.file.Path;

/** Integration tests need root and /dev/net/tun; elsewhere they are skipped, not failed. */
public final class Root {
    private Root() {
    }

    public static void assumeRootWithTun() {
        assumeTrue(LibC.INSTANCE.geteuid() == 0, "needs root (network namespaces, TUN)");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "needs /dev/net/tun");
    }
}
