package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.lab.Netns;
import io.causeway.lab.RunPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Common ground of the integration tests against a real strongSwan in namespaces: skip unless root, charon and ping
 * are there, a run prefix per test, and afterwards the check that no namespace of that prefix is left.
 */
abstract class StrongSwanTestBase {
    protected final String prefix = RunPrefix.next();

    @BeforeAll
    static void needsRootAndStrongSwan() {
        LabRequirements.root();
        LabRequirements.tools("charon", "ping");
    }

    @AfterEach
    void nothingLeft() {
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }
}
