package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.control.ControlServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `causeway status NAME` against a daemon answering with a tunnel as the gateway reports one. */
class StatusDetailCliTest {
    @TempDir Path dir;

    private ControlServer daemon;
    private final List<Map<String, Object>> requests = new ArrayList<>();


    @AfterEach
    void stopDaemon() {
        if (daemon != null) daemon.close();
    }

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** The gateway's status of a connected tunnel (TunnelBook's fields). */
    static Map<String, Object> connectedTunnel() {
        Map<String, Object> ike = object("spi_i", "0123456789abcdef", "spi_r", "fedcba9876543210",
                "proposal", "aes256-sha256-modp2048", "established_s", 303L, "rekey_in_s", 9900L, "nat", true,
                "initiator", true);
        Map<String, Object> child = object("name", "office", "local_ts", List.of("10.1.0.0/24"),
                "remote_ts", List.of("10.2.0.0/24", "10.3.0.0/24"), "spi_in", "c1234567", "spi_out", "c7654321",
                "proposal", "aes256gcm16", "mode", "tunnel", "encap", true, "bytes_in", 2048L, "bytes_out", 100L,
                "packets_in", 3L, "packets_out", 4L, "installed_s", 303L, "rekey_in_s", 2890L, "expires_in_s", 3297L);
        return object("name", "office", "state", "CONNECTED", "version", "IKEv2", "local", "192.0.2.1",
                "remote", "198.51.100.7", "local_id", "gw.example", "remote_id", "branch.example",
                "local_subnets", List.of("10.1.0.0/24"), "remote_subnets", List.of("10.2.0.0/24", "10.3.0.0/24"),
                "ike", ike, "children", List.of(child), "last_error", null, "trap", false);
    }

    private void daemon(Map<String, Object> tunnel) throws Exception {
        daemon = ControlServer.start(socket(), request -> {
            requests.add(request);
            return object("ok", true, "tunnels", List.of(tunnel));
        });
    }

    private Path socket() {
        return dir.resolve("cw.sock");
    }

    @Test
    void oneTunnelInDetail() throws Exception {
        daemon(connectedTunnel());

        CliRun r = CliRun.of("status", "office", "--socket", socket().toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(requests.get(0)).containsEntry("cmd", "status").containsEntry("name", "office");
        assertThat(r.out()).isEqualTo(String.join("\n",
                "office: CONNECTED",
                "  peer            198.51.100.7 (local 192.0.2.1)",
                "  identities      gw.example (local), branch.example (remote)",
                "  subnets         10.1.0.0/24 === 10.2.0.0/24,10.3.0.0/24",
                "  established     5m 3s ago",
                "  last error      none",
                "  IKE SA          IKEv2, we initiated, SPIs 0123456789abcdef (i) fedcba9876543210 (r)",
                "                  aes256-sha256-modp2048, NAT yes (UDP 4500), rekey in 2h 45m",
                "  CHILD_SA office SPIs c1234567 (in) c7654321 (out), aes256gcm16, tunnel, ESP in UDP",
                "                  10.1.0.0/24 === 10.2.0.0/24,10.3.0.0/24",
                "                  in 2.0KiB, 3 packets; out 100B, 4 packets",
                "                  rekey in 48m 10s, expires in 54m 57s, up for 5m 3s",
                ""));
    }

    @Test
    void aFailedTunnelShowsItsErrorAndNoSas() throws Exception {
        Map<String, Object> failed = connectedTunnel();
        failed.put("state", "PHASE1_FAILED");
        failed.put("ike", null);
        failed.put("children", List.of());
        failed.put("last_error", "peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids");
        daemon(failed);

        CliRun r = CliRun.of("status", "office", "--socket", socket().toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("office: PHASE1_FAILED\n", "  established     -\n",
                "  last error      peer answered AUTHENTICATION_FAILED", "  IKE SA          none\n",
                "  CHILD_SA        none\n");
    }

    @Test
    void jsonStaysTheContract() throws Exception {
        daemon(connectedTunnel());

        CliRun r = CliRun.of("status", "office", "--json", "--socket", socket().toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("{\"tunnels\":[{\"name\":\"office\"")
                .contains("\"established_s\":303", "\"rekey_in_s\":2890", "\"expires_in_s\":3297");
    }

    @Test
    void humanDurationsKeepTheTwoLargestUnits() {
        assertThat(Arrays.asList(StatusDetail.human(45), StatusDetail.human(303), StatusDetail.human(9900),
                StatusDetail.human(273_600))).containsExactly("45s", "5m 3s", "2h 45m", "3d 4h");
    }
}
