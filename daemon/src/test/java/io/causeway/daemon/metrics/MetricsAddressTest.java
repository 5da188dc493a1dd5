package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsAddressTest {
    @Test
    void parsesHostAndPort() {
        assertThat(MetricsAddress.parse("127.0.0.1:9813")).isEqualTo(new MetricsAddress("127.0.0.1", 9813));
        assertThat(MetricsAddress.parse("[::1]:9813")).isEqualTo(new MetricsAddress("::1", 9813));
        assertThat(MetricsAddress.parse("[::1]:9813")).hasToString("[::1]:9813");
        assertThat(MetricsAddress.parse("localhost:1")).isEqualTo(new MetricsAddress("localhost", 1));
    }

    @Test
    void refusesWhatIsNotHostAndPort() {
        for (String bad : new String[] {"9813", ":9813", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "::1:9813",
                "host:port"}) {
            assertThatThrownBy(() -> MetricsAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("metrics address");
        }
    }
}
