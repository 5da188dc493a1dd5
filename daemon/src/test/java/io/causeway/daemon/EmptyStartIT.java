package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A daemon started with a configuration of comments only (the package's shipped ipsec.conf) runs and waits, as
 * charon does; the first `causeway reload` that brings a connection starts its data plane and the tunnel.
 */
class EmptyStartIT {
    private static final Duration DEADLINE = LabGateway.DEADLINE;
    private static final String NO_CONNECTIONS = "# conn example\n#    left=192.0.2.1\n#    auto=start\n";

    private final String prefix = RunPrefix.next();
    private Path dir;

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
        LabRequirements.tools("ping");
    }

    @AfterEach
    void cleanUp() {
        if (dir != null) LabGateway.deleteRecursively(dir);
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tunnels(CausewayProcess p) throws Exception {
        Map<String, Object> status = p.control(Map.of("cmd", "status"));
        assertThat(status).containsEntry("ok", true);
        return (List<Map<String, Object>>) status.get("tunnels");
    }

    private static ExecResult cli(Topology t, CausewayProcess p, String command, String... args) {
        return t.west().exec(Duration.ofSeconds(60), p.cliCommand(command, args), null);
    }

    @Test
    void startsWithoutConnectionsAndReloadBringsTheFirstTunnel() throws Exception {
        dir = Files.createDirectories(RunPrefix.workDir(prefix, "empty-start"));
        try (Topology t = Topology.create(prefix, false);
                LabGateway east = LabGateway.start(t.east(), prefix, Conn.eastFromAnywhere(t))) {
            Path config = Files.writeString(dir.resolve("ipsec.conf"), NO_CONNECTIONS);
            Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), "# no secrets yet\n");
            try (CausewayProcess west = CausewayProcess.startDaemon(t.west(), CausewayLauncher.locate(), config,
                    secrets, dir.resolve("west.sock").toString(), dir.resolve("west.log"), DEADLINE)) {
                assertThat(west.log()).contains("no connection configured; waiting for connections");
                assertThat(tunnels(west)).isEmpty();
                ExecResult status = cli(t, west, "status");
                assertThat(status.exitCode()).as(status.describe()).isZero();
                assertThat(status.stdout()).contains("no tunnels");
                ExecResult up = cli(t, west, "up", "s2s");
                assertThat(up.exitCode()).as(up.describe()).isEqualTo(1);
                assertThat(t.west().ip("link", "show").stdout()).as("no TUN before a connection").doesNotContain("cw0");

                // a reload that still brings no connection keeps waiting
                ExecResult stillEmpty = cli(t, west, "reload");
                assertThat(stillEmpty.exitCode()).as(stillEmpty.describe()).isZero();
                assertThat(tunnels(west)).isEmpty();

                Conn conn = Conn.westToEast(t);
                Files.writeString(config, NO_CONNECTIONS + conn.text());
                Files.writeString(secrets, conn.get("leftid") + " " + conn.get("rightid") + " : PSK \""
                        + SwanctlConf.LAB_PSK + "\"\n");
                ExecResult reload = cli(t, west, "reload");
                assertThat(reload.exitCode()).as(reload.describe()).isZero();
                assertThat(reload.stdout()).contains("added: s2s");

                boolean connected = Poll.until(DEADLINE, () -> {
                    try {
                        List<Map<String, Object>> all = tunnels(west);
                        return all.size() == 1 && "CONNECTED".equals(all.get(0).get("state"));
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(connected).as("s2s CONNECTED within %s; west log:%n%s%nresponder log:%n%s", DEADLINE,
                        west.log(), east.log()).isTrue();
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s%n%s", ping, west.log()).isTrue();
                assertThat(west.log()).doesNotContain(SwanctlConf.LAB_PSK);
            }
        }
    }
}
