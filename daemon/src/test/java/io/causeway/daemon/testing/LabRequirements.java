package io.causeway.daemon.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causeway.lab.LabHost;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a namespace test needs of the host: root and tools. scripts/test installs all of it and sets
 * CAUSEWAY_LAB_REQUIRED=1; there a missing piece fails the test with one line naming the Debian package, so
 * that a package the install step forgot cannot turn into quietly skipped tests. Elsewhere (a developer's
 * {@code mvn verify} without root) the test is skipped.
 */
public final class LabRequirements {
    private static final boolean REQUIRED = "1".equals(System.getenv("CAUSEWAY_LAB_REQUIRED"));

    private LabRequirements() {
    }

    public static void root() {
        that(LabHost.isRoot(), "namespace tests need root");
    }

    /** Each tool on PATH; "charon" means charon, swanctl and kernel-libipsec, "starter" starter and stroke. */
    public static void tools(String... tools) {
        List<String> missing = LabHost.missing(tools);
        if (!missing.isEmpty()) {
            Set<String> packages = new LinkedHashSet<>();
            missing.forEach(t -> packages.add(LabHost.debianPackage(t)));
            that(false, "missing " + String.join(", ", missing) + ": apt-get install " + String.join(" ", packages));
        }
    }

    /** Skips (or, under scripts/test, fails) unless condition holds; what says what is missing. */
    public static void that(boolean condition, String what) {
        if (!condition && REQUIRED) {
            fail(what + " (CAUSEWAY_LAB_REQUIRED is set: scripts/test should have installed it)");
        }
        assumeTrue(condition, what);
    }
}
