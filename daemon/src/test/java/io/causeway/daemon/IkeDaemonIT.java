package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.daemon.control.Json;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `causeway daemon` doing IKEv2 with a real strongSwan (charon with kernel-libipsec) in namespaces. */
class IkeDaemonIT extends StrongSwanTestBase {
    private static final String PSK = SwanctlConf.LAB_PSK;

    private LabGateway daemon(Topology t, String auto, String ike, String esp) throws Exception {
        return LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("ike", ike).set("esp", esp).set("auto", auto));
    }

    @Test
    void causewayInitiatesToStrongSwanAndCarriesPing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes128gcm16").build());
                LabGateway west = daemon(t, "start", "aes128-sha256-modp2048!", "aes128gcm16!")) {
            west.awaitState("CONNECTED");
            east.waitEstablished(DEADLINE);

            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 5);
            assertThat(ping.allReceived()).as("%s\n%s", ping, west.log()).isTrue();
            Map<String, Object> tunnel = west.tunnel();
            assertThat(Json.write(tunnel)).contains("\"version\":\"IKEv2\"", "\"proposal\":\"aes128gcm16\"",
                    "\"remote_ts\":[\"10.2.0.0/24\"]");
            // kernel-libipsec always encapsulates, so strongSwan makes us see a NAT and move to 4500
            assertThat(east.listSas()).contains("ESTABLISHED", "INSTALLED");
        }
    }

    @Test
    void strongSwanInitiatesToCausewayWithGcmAndEcp() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = daemon(t, "add", "aes256gcm16-prfsha384-ecp384!", "aes256gcm16!")) {
            String eastConf = SwanctlConf.builder().localAddrs(t.eastOuterV4()).remoteAddrs(t.westOuterV4())
                    .localId("east.example").remoteId("west.example")
                    .localTs(Topology.EAST_SUBNET_V4).remoteTs(Topology.WEST_SUBNET_V4)
                    .proposals("aes256gcm16-prfsha384-ecp384").espProposals("aes256gcm16").build();
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), eastConf)) {
                assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as(east.log()).isTrue();
                east.waitEstablished(DEADLINE);
                west.awaitState("CONNECTED");
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
            LabGateway west = daemon(t, "start", "aes128-sha256-modp2048!", "aes128-sha256!");
            try {
                west.awaitState("CONNECTED");
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 5);
                assertThat(ping.allReceived()).as("%s\n%s", ping, west.log()).isTrue();
                assertThat(Json.write(west.tunnel())).contains("\"encap\":true", "\"nat\":true");
                // RFC 3948 2.3: a one-byte 0xFF keepalive from west (masqueraded as 192.0.2.1) within 20 s
                Path pcap = west.workDir().resolve("keepalive.pcap");
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
        try (Topology t = Topology.create(prefix, false);
                LabGateway east = LabGateway.start(t.east(), prefix, Conn.eastFromAnywhere(t)
                        .set("ike", "aes256-sha384-ecp384!").set("esp", "aes256gcm16!"));
                LabGateway west = daemon(t, "start", "aes256-sha384-ecp384!", "aes256gcm16!")) {
            try {
                west.awaitState("CONNECTED");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nresponder log:\n" + east.log(), e);
            }
            east.awaitState("CONNECTED");
            assertThat(Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3).allReceived()).isTrue();
            assertThat(Ping.run(t.east(), t.eastHostV4(), t.westHostV4(), 3).allReceived()).isTrue();
        }
    }

    @Test
    void strongSwanRekeysChildAndIkeSaUnderContinuousPing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes128gcm16")
                        .childRekeyTime("7s").childLifeTime("30s").childRandTime("0s").rekeyTime("11s").build());
                LabGateway west = daemon(t, "start", "aes128-sha256-modp2048!", "aes128gcm16!")) {
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();
            // 20 s of pings cross two CHILD_SA rekeys (7 s, 14 s) and an IKE SA rekey (11 s) by strongSwan
            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 100, Duration.ofMillis(200),
                    Duration.ofSeconds(25));
            assertThat(ping.received()).as("%s%n%s%n--- strongSwan ---%n%s", ping, west.log(), east.log())
                    .isEqualTo(ping.transmitted());
            assertThat(east.log()).contains("rekeyed between", "N(REKEY_SA)");
            assertThat(west.tunnel().get("state")).isEqualTo("CONNECTED");
        }
    }

    @Test
    void wrongPskIsPhase1FailedWithTheReason() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .psk("a different key").proposals("aes128-sha256-modp2048").build());
                LabGateway west = daemon(t, "start", "aes128-sha256-modp2048!", "aes128gcm16!")) {
            west.awaitState("PHASE1_FAILED");
            assertThat((String) west.tunnel().get("last_error")).contains("AUTHENTICATION_FAILED");
            assertThat(Json.write(west.tunnel())).doesNotContain(PSK);
        }
    }
}
