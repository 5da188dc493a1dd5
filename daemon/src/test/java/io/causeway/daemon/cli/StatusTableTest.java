package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    @Test
    void oneRowPerChildWithHumanSizes() {
        Map<String, Object> child = Map.of(
                "local_ts", List.of("10.1.0.0/24"), "remote_ts", List.of("10.2.0.0/24", "10.3.0.0/24"),
                "mode", "tunnel", "encap", true,
                "packets_in", 3L, "packets_out", 4L, "bytes_in", 2048L, "bytes_out", 100L);
        Map<String, Object> tunnel = Map.of(
                "name", "s2s", "state", "CONNECTED", "remote", "192.0.2.2", "children", List.of(child));

        String table = StatusTable.render(List.of(tunnel));

        assertThat(table.lines().toList()).hasSize(2);
        assertThat(table).contains("s2s", "CONNECTED", "192.0.2.2", "10.2.0.0/24,10.3.0.0/24",
                "tunnel/udp", "3/4", "2.0KiB/100B");
    }

    @Test
    void anIdleTrappedConnectionSaysTrap() {
        Map<String, Object> trapped = Map.of("name", "s2s", "state", "DOWN", "trap", true, "children", List.of());
        Map<String, Object> plain = Map.of("name", "other", "state", "DOWN", "trap", false, "children", List.of());

        String table = StatusTable.render(List.of(trapped, plain));

        assertThat(table).contains("s2s    DOWN (trap)");
        assertThat(table.lines().filter(l -> l.startsWith("other")).findFirst().orElseThrow())
                .doesNotContain("trap");
    }

    @Test
    void saysSoWhenThereIsNothing() {
        assertThat(StatusTable.render(List.of())).isEqualTo("no tunnels\n");
    }
}
