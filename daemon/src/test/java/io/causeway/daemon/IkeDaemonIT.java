package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causeway.daemon.control.ControlClient;
import io.causeway.daemon.control.Json;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.LabHost;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `causeway daemon` doing IKEv2 with a real strongSwan (charon with kernel-libipsec) in namespaces. */
class IkeDaemonIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PSK = SwanctlConf.LAB_PSK;

    private final String prefix = RunPrefix.next();
    private Path dir;

    @BeforeAll
    static void needsRootAndStrongSwan() {
        assumeTrue(LabHost.isRoot(), "needs root for namespaces");
        assumeTrue(LabHost.missing("charon", "ping").isEmpty(), "needs strongSwan and ping");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(io.causeway.lab.Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    private CausewayProcess daemon(Topology t, String conf) throws Exception {
        dir = Files.createDirectories(RunPrefix.workDir(prefix, "ike"));
        Path config = Files.writeString(dir.resolve("ipsec.conf"), conf);
        Path secrets = Files.writeString(dir.resolve("ipsec.secrets"),
                "west.example east.example : PSK \"" + PSK + "\"\n");
        return CausewayProcess.startDaemon(t.west(), CausewayLauncher.locate(), config, secrets,
                dir.resolve("west.sock").toString(), dir.resolve("west.log"), DEADLINE);
    }

    private static String westConf(Topology t, String auto, String ike, String esp) {
        return String.join("\n",
                "conn s2s",
                "    keyexchange=ikev2",
                "    left=" + t.westOuterV4(),
                "    leftid=west.example",
                "    leftsubnet=" + Topology.WEST_SUBNET_V4,
                "    right=" + t.eastOuterV4(),
                "    rightid=east.example",
                "    rightsubnet=" + Topology.EAST_SUBNET_V4,
                "    authby=psk",
                "    ike=" + ike,
                "    esp=" + esp,
                "    auto=" + auto,
                "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tunnel(CausewayProcess p) throws Exception {
        Map<String, Object> status = ControlClient.call(Path.of(p.socket()), Map.of("cmd", "status"));
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

    @Test
    void causewayInitiatesToStrongSwanAndCarriesPing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes128gcm16").build());
                CausewayProcess west = daemon(t, westConf(t, "start", "aes128-sha256-modp2048!", "aes128gcm16!"))) {
            awaitState(west, "CONNECTED");
            east.waitEstablished(DEADLINE);

            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 5);
            assertThat(ping.allReceived()).as("%s\n%s", ping, west.log()).isTrue();
            Map<String, Object> tunnel = tunnel(west);
            assertThat(Json.write(tunnel)).contains("\"version\":\"IKEv2\"", "\"proposal\":\"aes128gcm16\"",
                    "\"remote_ts\":[\"10.2.0.0/24\"]");
            // kernel-libipsec always encapsulates, so strongSwan makes us see a NAT and move to 4500
            assertThat(east.listSas()).contains("ESTABLISHED", "INSTALLED");
        }
    }

    @Test
    void strongSwanInitiatesToCausewayWithGcmAndEcp() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                CausewayProcess west = daemon(t, westConf(t, "add", "aes256gcm16-prfsha384-ecp384!", "aes256gcm16!"))) {
            String eastConf = SwanctlConf.builder().localAddrs(t.eastOuterV4()).remoteAddrs(t.westOuterV4())
                    .localId("east.example").remoteId("west.example")
                    .localTs(Topology.EAST_SUBNET_V4).remoteTs(Topology.WEST_SUBNET_V4)
                    .proposals("aes256gcm16-prfsha384-ecp384").espProposals("aes256gcm16").build();
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), eastConf)) {
                assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as(east.log()).isTrue();
                east.waitEstablished(DEADLINE);
                awaitState(west, "CONNECTED");
                Ping.Result ping = Ping.run(t.east(), t.eastHostV4(), t.westHostV4(), 5);
                assertThat(ping.allReceived()).as("%s\n%s", ping, west.log()).isTrue();
            }
        }
    }

    @Test
    void throughNatAndSigtermDeletesTheSaAtStrongSwan() throws Exception {
        try (Topology t = Topology.create(prefix, true);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes128-sha256").build())) {
            CausewayProcess west = daemon(t, westConf(t, "start", "aes128-sha256-modp2048!", "aes128-sha256!"));
            try {
                awaitState(west, "CONNECTED");
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 5);
                assertThat(ping.allReceived()).as("%s\n%s", ping, west.log()).isTrue();
                assertThat(Json.write(tunnel(west))).contains("\"encap\":true", "\"nat\":true");
                // RFC 3948 2.3: a one-byte 0xFF keepalive from west (masqueraded as 192.0.2.1) within 20 s
                Path pcap = dir.resolve("keepalive.pcap");
                String keepalive = "udp and src host " + t.westPublicV4() + " and dst host " + t.eastOuterV4()
                        + " and dst port 4500 and udp[4:2] = 9 and udp[8] = 0xff";
                try (Tshark.Capture capture = Tshark.capture(t.east(), t.eastInterface(), pcap, 1, keepalive)) {
                    capture.finish(Duration.ofSeconds(25));
                }
                assertThat(Tshark.analyze(pcap).frames()).as("NAT keepalives seen at east").isEqualTo(1);
            } finally {
                west.close(); // SIGTERM: the daemon sends DELETE for its IKE SA before it exits
            }
            Poll.require(DEADLINE, "strongSwan to drop the deleted IKE SA", () -> !east.listSas().contains("ESTABLISHED"));
            assertThat(east.log()).contains("received DELETE for IKE_SA");
        }
    }

    @Test
    void causewayToCauseway() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            Path eastDir = Files.createDirectories(RunPrefix.workDir(prefix, "east"));
            String eastConf = String.join("\n", "conn s2s", "    keyexchange=ikev2",
                    "    left=" + t.eastOuterV4(), "    leftid=east.example", "    leftsubnet=" + Topology.EAST_SUBNET_V4,
                    "    right=%any", "    rightid=west.example", "    rightsubnet=" + Topology.WEST_SUBNET_V4,
                    "    authby=psk", "    ike=aes256-sha384-ecp384!", "    esp=aes256gcm16!", "    auto=add", "");
            Path config = Files.writeString(eastDir.resolve("ipsec.conf"), eastConf);
            Path secrets = Files.writeString(eastDir.resolve("ipsec.secrets"),
                    "east.example west.example : PSK \"" + PSK + "\"\n");
            try (CausewayProcess east = CausewayProcess.startDaemon(t.east(), CausewayLauncher.locate(), config, secrets,
                    eastDir.resolve("east.sock").toString(), eastDir.resolve("east.log"), DEADLINE);
                    CausewayProcess west = daemon(t, westConf(t, "start", "aes256-sha384-ecp384!", "aes256gcm16!"))) {
                try {
                    awaitState(west, "CONNECTED");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nresponder log:\n" + east.log(), e);
                }
                awaitState(east, "CONNECTED");
                assertThat(Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3).allReceived()).isTrue();
                assertThat(Ping.run(t.east(), t.eastHostV4(), t.westHostV4(), 3).allReceived()).isTrue();
            } finally {
                try (var files = Files.walk(eastDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    void strongSwanRekeysChildAndIkeSaUnderContinuousPing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes128gcm16")
                        .childRekeyTime("7s").childLifeTime("30s").childRandTime("0s").rekeyTime("11s").build());
                CausewayProcess west = daemon(t, westConf(t, "start", "aes128-sha256-modp2048!", "aes128gcm16!"))) {
            awaitState(west, "CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();
            // 20 s of pings cross two CHILD_SA rekeys (7 s, 14 s) and an IKE SA rekey (11 s) by strongSwan
            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 100, Duration.ofMillis(200),
                    Duration.ofSeconds(25));
            assertThat(ping.received()).as("%s%n%s%n--- strongSwan ---%n%s", ping, west.log(), east.log())
                    .isEqualTo(ping.transmitted());
            assertThat(east.log()).contains("rekeyed between", "N(REKEY_SA)");
            assertThat(tunnel(west).get("state")).isEqualTo("CONNECTED");
        }
    }

    @Test
    void wrongPskIsPhase1FailedWithTheReason() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .psk("a different key").proposals("aes128-sha256-modp2048").build());
                CausewayProcess west = daemon(t, westConf(t, "start", "aes128-sha256-modp2048!", "aes128gcm16!"))) {
            awaitState(west, "PHASE1_FAILED");
            assertThat((String) tunnel(west).get("last_error")).contains("AUTHENTICATION_FAILED");
            assertThat(Json.write(tunnel(west))).doesNotContain(PSK);
        }
    }
}
