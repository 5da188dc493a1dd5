package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunPrefixTest {

    @Test
    void prefixesCarryPidAndNeverStartAnother() {
        String first = RunPrefix.next();
        String second = RunPrefix.next();

        assertThat(first).startsWith("cw" + ProcessHandle.current().pid() + "n").endsWith("-");
        assertThat(second).isNotEqualTo(first);
        // the trailing '-' keeps cw1n1- from matching the namespaces of cw1n10-
        assertThat(second).doesNotStartWith(first);
        assertThat(first).doesNotStartWith(second);
    }

    @Test
    void namespaceNamesFitIpNetnsAndWorkDirs() {
        String prefix = RunPrefix.next();

        assertThat(prefix + "w").matches("[a-z0-9-]+").hasSizeLessThan(40);
        assertThat(RunPrefix.workDir(prefix, "bench").toString()).isEqualTo("/tmp/" + prefix + "bench");
    }
}
