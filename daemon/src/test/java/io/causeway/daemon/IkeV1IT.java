package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Ping;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IKEv1 against strongSwan 5.9.8 (charon with kernel-libipsec, which always encapsulates ESP in UDP, so every
 * tunnel here floats to port 4500) in namespaces: main and aggressive mode, Causeway initiating and responding,
 * behind NAT, with ping through the tunnel; quick-mode rekeys under continuous ping; a wrong PSK; Causeway to itself.
 */
class IkeV1IT extends StrongSwanTestBase {
    private static final String IKE = "aes128-sha1-modp2048";
    private static final String ESP = "aes128-sha1";

    private static Conn westV1(Topology t) {
        return Conn.westToEast(t).set("keyexchange", "ikev1").set("ike", IKE + "!").set("esp", ESP + "!");
    }

    private static SwanctlConf eastV1(Topology t) {
        return SwanctlConf.eastResponder(t).version(1).proposals(IKE).espProposals(ESP);
    }

    private static void pingsBothWays(Topology t, LabGateway west) throws Exception {
        assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
        Ping.Result there = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 5);
        assertThat(there.allReceived()).as("%s%n%s", there, west.log()).isTrue();
        Ping.Result back = Ping.run(t.east(), t.eastHostV4(), t.westHostV4(), 5);
        assertThat(back.allReceived()).as("%s%n%s", back, west.log()).isTrue();
    }

    @Test
    void mainModeCausewayInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            east.waitEstablished(DEADLINE);
            pingsBothWays(t, west);
            assertThat(up.get("version")).isEqualTo("IKEv1");
            assertThat(ike(up).get("proposal")).isEqualTo("aes128-sha1-modp2048");
            assertThat(children(up).get(0).get("proposal")).isEqualTo("aes128-sha1");
            assertThat(east.log()).contains("parsed ID_PROT request 0 [ ID HASH", "parsed QUICK_MODE request");
            assertThat(east.listSas()).contains("ESTABLISHED", "INSTALLED");
        }
    }

    @Test
    void mainModeStrongSwanInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("auto", "add"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).remoteAddrs(t.westOuterV4()).build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
            west.awaitState("CONNECTED");
            pingsBothWays(t, west);
        }
    }

    @Test
    void aggressiveModeBothWaysWithPfs() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).aggressive(true)
                        .proposals("aes128-sha1-modp1024").espProposals("aes128-sha1-modp1024").build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("aggressive", "yes")
                        .set("ike", "aes128-sha1-modp1024!").set("esp", "aes128-sha1-modp1024!"))) {
            west.awaitState("CONNECTED");
            pingsBothWays(t, west);
            assertThat(east.log()).contains("AGGRESSIVE");
        }
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("aggressive", "yes").set("auto", "add")
                        .set("ike", "aes128-sha1-modp1024!").set("esp", "aes128-sha1-modp1024!"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).aggressive(true).remoteAddrs(t.westOuterV4())
                        .proposals("aes128-sha1-modp1024").espProposals("aes128-sha1-modp1024").build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
            west.awaitState("CONNECTED");
            pingsBothWays(t, west);
        }
    }

    @Test
    void mainModeBehindNat() throws Exception {
        try (Topology t = Topology.create(prefix, true);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            pingsBothWays(t, west);
            assertThat(ike(up).get("nat")).isEqualTo(true);
            assertThat(children(up).get(0).get("encap")).isEqualTo(true);
        }
    }

    @Test
    void autoRouteTrapBringsTheTunnelUpOnTheFirstPing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("auto", "route"))) {
            assertThat(west.tunnel()).containsEntry("state", "DOWN").containsEntry("trap", true);
            // the first echo request starts main mode; it is kept and sent once the quick mode is done
            Ping.Result first = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 1, Duration.ofSeconds(10),
                    Duration.ofSeconds(20));
            assertThat(first.allReceived()).as("%s%n%s", first, west.log()).isTrue();
            assertThat(west.tunnel()).containsEntry("state", "CONNECTED").containsEntry("trap_triggers", 1L);
        }
    }

    @Test
    void causewayToCauseway() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway east = LabGateway.start(t.east(), prefix, Conn.eastFromAnywhere(t).set("keyexchange", "ikev1")
                        .set("ike", "aes256-sha256-modp2048!").set("esp", "aes256-sha256!"));
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t)
                        .set("ike", "aes256-sha256-modp2048!").set("esp", "aes256-sha256!"))) {
            try {
                west.awaitState("CONNECTED");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nresponder log:\n" + east.log(), e);
            }
            east.awaitState("CONNECTED");
            pingsBothWays(t, west);
        }
    }

    @Test
    void quickModeRekeysUnderContinuousPingLoseNothing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t)
                        .childRekeyTime("7s").childLifeTime("30s").childRandTime("0s").build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();
            // 20 s of pings cross two quick-mode rekeys by strongSwan (7 s, 14 s)
            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 100, Duration.ofMillis(200),
                    Duration.ofSeconds(25));
            assertThat(ping.received()).as("%s%n%s%n--- strongSwan ---%n%s", ping, west.log(), east.log())
                    .isEqualTo(ping.transmitted());
            assertThat(east.log()).contains("CHILD_SA net{3} established");
            assertThat(west.tunnel().get("state")).isEqualTo("CONNECTED");
        }
    }

    @Test
    void causewayRekeysQuickModeUnderContinuousPingLoseNothing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("lifetime", "20s")
                        .set("margintime", "13s").set("rekeyfuzz", "0%"))) {
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();
            // 20 s of pings cross Causeway's quick-mode rekeys every 7 s; each old SA is deleted a second later
            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 100, Duration.ofMillis(200),
                    Duration.ofSeconds(25));
            assertThat(ping.received()).as("%s%n%s%n--- strongSwan ---%n%s", ping, west.log(), east.log())
                    .isEqualTo(ping.transmitted());
            assertThat(east.log()).contains("CHILD_SA net{3} established", "received DELETE for ESP CHILD_SA");
            assertThat(children(west.tunnel())).hasSize(1);
        }
    }

    @Test
    void wrongPskIsPhase1FailedAsAPskMismatch() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).psk("a different key").build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("keyingtries", "1"))) {
            Map<String, Object> failed;
            try {
                failed = west.awaitState("PHASE1_FAILED", Duration.ofSeconds(60));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- strongSwan ---\n" + east.log(), e);
            }
            assertThat((String) failed.get("last_error")).as(west.log())
                    .startsWith("authentication failed (pre-shared key mismatch?)");
            assertThat(west.log()).doesNotContain(SwanctlConf.LAB_PSK);
        }
    }
}
