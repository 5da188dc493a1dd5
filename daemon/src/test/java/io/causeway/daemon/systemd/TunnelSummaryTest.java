package io.causeway.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunnelSummaryTest {
    private static Map<String, Object> tunnel(String state) {
        return Map.of("name", "t", "state", state);
    }

    @Test
    void countsConnectedAndFailedTunnels() {
        assertThat(TunnelSummary.of(List.of(tunnel("CONNECTED"), tunnel("CONNECTING"), tunnel("CONNECTED"))))
                .isEqualTo("3 tunnels, 2 connected");
        assertThat(TunnelSummary.of(List.of(tunnel("PHASE1_FAILED"), tunnel("PHASE2_FAILED"), tunnel("DOWN"))))
                .isEqualTo("3 tunnels, 0 connected, 2 failed");
    }

    @Test
    void singularAndNone() {
        assertThat(TunnelSummary.of(List.of(tunnel("CONNECTED")))).isEqualTo("1 tunnel, 1 connected");
        assertThat(TunnelSummary.of(List.of())).isEqualTo("0 tunnels, 0 connected");
    }

    @Test
    void readsAWholeStatusAnswer() {
        assertThat(TunnelSummary.ofStatus(Map.of("ok", true, "tunnels", List.of(tunnel("DOWN"), tunnel("CONNECTED")))))
                .isEqualTo("2 tunnels, 1 connected");
        assertThat(TunnelSummary.ofStatus(Map.of("ok", false))).isEqualTo("0 tunnels, 0 connected");
    }
}
