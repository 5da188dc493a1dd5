package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.conf.export.ConnectionExport;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.StrongSwanStarter;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `causeway export` → strongSwan → tunnel up: the peer's side printed by the CLI is loaded into a real strongSwan
 * unchanged (swanctl.conf through vici; ipsec.conf and ipsec.secrets through starter and stroke), and the tunnel
 * carries ping both ways. The connected tunnel also serves `status NAME` and `log-level` against the real daemon.
 */
class ExportIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final String prefix = RunPrefix.next();
    private final CausewayLauncher launcher = CausewayLauncher.locate();
    private Path dir;
    private Path config;
    private Path secrets;

    @BeforeAll
    static void needsRootAndStrongSwan() {
        LabRequirements.root();
        LabRequirements.tools("charon", "ping");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    /** West's ipsec.conf and ipsec.secrets: the files both the daemon and `causeway export` read. */
    private void writeConfig(Topology t, String auto) throws Exception {
        dir = Files.createDirectories(RunPrefix.workDir(prefix, "export"));
        config = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn s2s",
                "    keyexchange=ikev2",
                "    authby=psk",
                "    left=" + t.westOuterV4(),
                "    leftid=west.example",
                "    leftsubnet=" + Topology.WEST_SUBNET_V4,
                "    right=" + t.eastOuterV4(),
                "    rightid=east.example",
                "    rightsubnet=" + Topology.EAST_SUBNET_V4,
                "    ike=aes256-sha256-modp2048!",
                "    esp=aes128gcm16!",
                "    ikelifetime=2h",
                "    lifetime=1h",
                "    margintime=5m",
                "    dpdaction=restart",
                "    dpddelay=10s",
                "    auto=" + auto,
                ""));
        secrets = Files.writeString(dir.resolve("ipsec.secrets"),
                "west.example east.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
    }

    /** `causeway export ARGS --config F --secrets F`, run as a user would (the jar, no daemon); its stdout. */
    private String export(String... args) {
        List<String> all = new ArrayList<>(List.of("export"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--secrets", secrets.toString()));
        ExecResult r = Commands.run(DEADLINE, launcher.command(all.toArray(String[]::new)));
        assertThat(r.ok()).as("causeway export: %s", r.describe()).isTrue();
        assertThat(r.stderr()).isEmpty();
        return r.stdout();
    }

    private CausewayProcess daemon(Topology t) {
        return CausewayProcess.startDaemon(t.west(), launcher, config, secrets, dir.resolve("west.sock").toString(),
                dir.resolve("west.log"), DEADLINE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tunnel(CausewayProcess p) throws Exception {
        Map<String, Object> status = p.control(Map.of("cmd", "status", "name", "s2s"));
        return ((List<Map<String, Object>>) status.get("tunnels")).get(0);
    }

    private static void awaitState(CausewayProcess p, String state) {
        boolean reached = Poll.until(DEADLINE, () -> {
            try {
                return state.equals(tunnel(p).get("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(reached).as("tunnel %s within %s; log:%n%s", state, DEADLINE, p.log()).isTrue();
    }

    private static ExecResult cli(Netns ns, CausewayProcess p, String command, String... args) {
        return ns.exec(DEADLINE, p.cliCommand(command, args), null);
    }

    @Test
    void swanctlExportWithSecretLoadsIntoStrongSwanAndTheTunnelComesUp() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            writeConfig(t, "add");
            String swanctlConf = export("s2s", "--format", "swanctl", "--with-secret");
            assertThat(swanctlConf).contains("start_action = start\n", "secret = \"" + SwanctlConf.LAB_PSK + "\"");

            try (CausewayProcess west = daemon(t);
                    StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctlConf)) {
                // Causeway only responds (auto=add), so the export makes strongSwan initiate at load
                east.waitEstablished(DEADLINE);
                awaitState(west, "CONNECTED");
                assertThat(Ping.run(t.east(), t.eastHostV4(), t.westHostV4(), 3).allReceived()).as(west.log()).isTrue();
                assertThat(Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3).allReceived()).as(west.log()).isTrue();

                statusOfOneTunnelInDetail(t, west);
                logLevelErrorSilencesOnlyThatConnectionsInfo(t, west);
            }
        }
    }

    /** `status NAME` as a user reads it, and the timers behind it in the JSON contract. */
    @SuppressWarnings("unchecked")
    private void statusOfOneTunnelInDetail(Topology t, CausewayProcess west) throws Exception {
        ExecResult human = cli(t.west(), west, "status", "s2s");
        assertThat(human.ok()).as(human.describe()).isTrue();
        assertThat(human.stdout()).startsWith("s2s: CONNECTED\n").contains(
                "  peer            " + t.eastOuterV4() + " (local " + t.westOuterV4() + ")\n",
                "  identities      west.example (local), east.example (remote)\n",
                "  subnets         " + Topology.WEST_SUBNET_V4 + " === " + Topology.EAST_SUBNET_V4 + "\n",
                "peer initiated", "aes256-sha256-modp2048", "aes128gcm16", "rekey in", "expires in")
                .doesNotContain(SwanctlConf.LAB_PSK);

        Map<String, Object> tunnel = tunnel(west);
        Map<String, Object> ike = (Map<String, Object>) tunnel.get("ike");
        Map<String, Object> child = ((List<Map<String, Object>>) tunnel.get("children")).get(0);
        assertThat(((Number) ike.get("established_s")).longValue()).isBetween(0L, DEADLINE.toSeconds());
        // our IKE SA rekeys by 2h - 5m; the CHILD_SA by 1h - 5m and expires at 1h
        assertThat(((Number) ike.get("rekey_in_s")).longValue()).isBetween(100 * 60L, 115 * 60L);
        assertThat(((Number) child.get("rekey_in_s")).longValue()).isBetween(45 * 60L, 55 * 60L);
        assertThat(((Number) child.get("expires_in_s")).longValue()).isBetween(59 * 60L, 60 * 60L);
        assertThat(tunnel.get("remote_subnets")).isEqualTo(List.of(Topology.EAST_SUBNET_V4));
    }

    /** With s2s at error, taking it down logs none of the info lines it would otherwise write. */
    private void logLevelErrorSilencesOnlyThatConnectionsInfo(Topology t, CausewayProcess west) throws Exception {
        assertThat(west.log()).contains("s2s: CHILD_SA up");
        ExecResult level = cli(t.west(), west, "log-level", "error", "s2s");
        assertThat(level.ok()).as(level.describe()).isTrue();
        assertThat(level.stdout()).contains("s2s: log level error (other messages: info)");

        ExecResult down = west.down("s2s");
        assertThat(down.ok()).as(down.describe()).isTrue();
        awaitState(west, "DOWN");

        assertThat(west.log()).doesNotContain("s2s: CHILD_SA in").doesNotContain("s2s: DOWN");

        // back to normal: the same down is logged again
        assertThat(cli(t.west(), west, "log-level", "info").stdout()).contains("log level info");
        assertThat(west.up("s2s").ok()).as(west.log()).isTrue();
        assertThat(west.down("s2s").ok()).as(west.log()).isTrue();
        Poll.require(DEADLINE, "the removal logged at info", () -> west.log().contains("s2s: CHILD_SA in"));
        assertThat(west.log()).contains("s2s: DOWN");
        ExecResult unknown = cli(t.west(), west, "log-level", "debug", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("no connection named nope");
    }

    @Test
    void ipsecConfExportLoadsThroughStarterAndTheTunnelComesUp() throws Exception {
        LabRequirements.tools("starter");
        try (Topology t = Topology.create(prefix, false)) {
            writeConfig(t, "start");
            String exported = export("s2s", "--with-secret");
            int marker = exported.indexOf(ConnectionExport.IPSEC_SECRETS_MARKER);
            assertThat(exported).contains("    auto=add\n", "    right=" + t.westOuterV4() + "\n");

            // strongSwan waits (Causeway has auto=start), so it is loaded before Causeway initiates
            try (StrongSwanStarter east = StrongSwanStarter.start(t.east(), exported.substring(0, marker),
                    exported.substring(marker));
                    CausewayProcess west = daemon(t)) {
                awaitState(west, "CONNECTED");
                east.waitEstablished(DEADLINE);
                assertThat(Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3).allReceived()).as(west.log()).isTrue();
                assertThat(Ping.run(t.east(), t.eastHostV4(), t.westHostV4(), 3).allReceived()).as(west.log()).isTrue();
                assertThat(east.listSas()).contains("AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
            }
        }
    }
}
