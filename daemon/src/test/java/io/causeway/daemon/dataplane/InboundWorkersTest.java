package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InboundWorkersTest {
    @Test
    void unsetIsOneWorkerOnTwoCoresAndANumberIsTakenAsIs() {
        assertThat(InboundWorkers.parse(null)).isEqualTo(Runtime.getRuntime().availableProcessors() >= 2 ? 1 : 0);
        assertThat(InboundWorkers.parse(" ")).isEqualTo(InboundWorkers.DEFAULT);
        assertThat(InboundWorkers.parse("2")).isEqualTo(2);
        assertThat(InboundWorkers.parse(" 0 ")).isZero();
    }

    @Test
    void anythingElseRefusesToStartNamingTheProperty() {
        for (String bad : new String[] {"-1", "65", "two"}) {
            assertThatThrownBy(() -> InboundWorkers.parse(bad)).hasMessageContaining("causeway.inboundWorkers");
        }
    }
}
