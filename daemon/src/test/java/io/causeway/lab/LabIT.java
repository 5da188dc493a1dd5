package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
  * The lab itself on a real kernel: namespaces, NAT, strongSwan on both ends. Needs root, charon
  * with kernel-libipsec, iperf3, tcpdump and tshark; skipped otherwise.
  */
class LabIT {
    private static final Duration IKE_DEADLINE = Duration.ofSeconds(20);

    private final String prefix = RunPrefix.next();

    @BeforeAll
    static void requireRootAndTools() {
        LabRequirements.root();
        LabRequirements.tools("ip", "nft", "ping", "ss", "nsenter", "unshare", "iperf3", "tcpdump", "tshark", "charon");
    }

    @AfterEach
    void safetyNet() {
        // the tests assert that close() cleaned up; this only keeps a failed test from leaking
        Netns.deleteAll(prefix);
    }

    @ParameterizedTest(name = "nat={0}")
    @ValueSource(booleans = {false, true})
    void outerAddressesReachEachOther(boolean nat) {
        try (Topology topology = Topology.create(prefix, nat)) {
            assertThat(Netns.list()).contains(prefix + "w", prefix + "e");
            assertThat(topology.nat().isPresent()).isEqualTo(nat);

            Ping.Result v4 = Ping.run(topology.west(), topology.westOuterV4(), topology.eastOuterV4(), 3);
            Ping.Result v6 = Ping.run(topology.west(), topology.westOuterV6(), topology.eastOuterV6(), 3);

            assertThat(v4.allReceived()).as("%s", v4).isTrue();
            assertThat(v6.allReceived()).as("%s", v6).isTrue();
            // the private hosts are not routed without a tunnel
            assertThat(Ping.run(topology.west(), topology.westHostV4(), topology.eastHostV4(), 1).anyReceived()).isFalse();
        }
        assertNothingLeft();
    }

    @Test
    void natMasqueradesWestAsThePublicAddress() {
        try (Topology topology = Topology.create(prefix, true)) {
            Path pcap = workDir().resolve("nat.pcap");
            try (Tshark.Capture capture = Tshark.capture(topology.east(), topology.eastInterface(), pcap, 1, "icmp")) {
                Ping.run(topology.west(), topology.westOuterV4(), topology.eastOuterV4(), 1);
                capture.finish(Duration.ofSeconds(5));
            }
            String seen = Commands.run(Duration.ofSeconds(30), "tshark", "-n", "-r", pcap.toString()).orThrow().stdout();
            assertThat(seen).contains(Topology.WEST_PUBLIC_V4 + " → " + Topology.EAST_PUBLIC_V4)
                    .doesNotContain(Topology.WEST_BEHIND_NAT_V4);
        } finally {
            Files2.deleteRecursively(workDir());
        }
        assertNothingLeft();
    }

    @ParameterizedTest(name = "nat={0}")
    @ValueSource(booleans = {false, true})
    void strongSwanTunnelCarriesPingAndTcp(boolean nat) {
        Path eastDir;
        Path westDir;
        try (Topology topology = Topology.create(prefix, nat);
                  StrongSwan east = StrongSwan.startAndLoad(topology.east(), SwanctlConf.eastResponder(topology).build());
                  StrongSwan west = StrongSwan.startAndLoad(topology.west(), SwanctlConf.westInitiator(topology).build())) {
            eastDir = east.workDir();
            westDir = west.workDir();

            assertThat(west.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as(west.log()).isTrue();
            west.waitEstablished(IKE_DEADLINE);
            east.waitEstablished(IKE_DEADLINE);
            assertThat(west.sas().ikeSas().get(0).children().get(0).mode()).isEqualTo("TUNNEL-in-UDP");

            Path pcap = workDir().resolve("esp.pcap");
            Tshark.Report report;
            try (Tshark.Capture capture = Tshark.capture(topology.east(), topology.eastInterface(), pcap, 10)) {
                assertThat(Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(), IKE_DEADLINE))
                        .isTrue();
                Ping.Result ping = Ping.run(topology.west(), topology.westHostV4(), topology.eastHostV4(), 5);
                assertThat(ping.allReceived()).as("%s", ping).isTrue();
                capture.finish(Duration.ofSeconds(5));
                report = Tshark.analyze(pcap);
            }
            assertThat(report.espPackets()).as("%s", report).isPositive();
            assertThat(report.hasErrors()).as("%s", report).isFalse();

            Iperf3.Result tcp = Iperf3.measure(topology.east(), topology.eastHostV4(), topology.west(),
                    topology.westHostV4(), 1, workDir());
            assertThat(tcp.mbitPerSecond()).as("%s", tcp).isGreaterThan(1.0);
        } finally {
            Files2.deleteRecursively(workDir());
        }
        assertThat(eastDir).doesNotExist();
        assertThat(westDir).doesNotExist();
        assertNothingLeft();
    }

    @Test
    void ikev1AggressiveModeThroughNat() {
        try (Topology topology = Topology.create(prefix, true);
                  StrongSwan east = StrongSwan.startAndLoad(topology.east(), SwanctlConf.eastResponder(topology)
                          .version(1).aggressive(true).proposals("aes128-sha256-modp2048")
                          .espProposals("aes128-sha1-modp2048").build());
                  StrongSwan west = StrongSwan.startAndLoad(topology.west(), SwanctlConf.westInitiator(topology)
                          .version(1).aggressive(true).proposals("aes128-sha256-modp2048")
                          .espProposals("aes128-sha1-modp2048").build())) {
            west.initiate(SwanctlConf.DEFAULT_CHILD).orThrow();
            west.waitEstablished(IKE_DEADLINE);

            assertThat(west.sas().ikeSas()).extracting(SwanSas.IkeSa::version).containsExactly(1);
            assertThat(Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(), IKE_DEADLINE))
                    .isTrue();
        }
        assertNothingLeft();
    }

    @Test
    void lossDropsUdpEncapsulatedEspUntilRemoved() {
        try (Topology topology = Topology.create(prefix, false);
                  StrongSwan east = StrongSwan.startAndLoad(topology.east(), SwanctlConf.eastResponder(topology).build());
                  StrongSwan west = StrongSwan.startAndLoad(topology.west(), SwanctlConf.westInitiator(topology).build())) {
            west.initiate(SwanctlConf.DEFAULT_CHILD).orThrow();
            west.waitEstablished(IKE_DEADLINE);
            assertThat(Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(), IKE_DEADLINE))
                    .isTrue();

            topology.loss(topology.west(), 100);
            Ping.Result dropped = Ping.run(topology.west(), topology.westHostV4(), topology.eastHostV4(), 3,
                    Duration.ofMillis(100), Duration.ofSeconds(1));
            // ICMP on the outer link is not UDP, so it still passes
            Ping.Result outer = Ping.run(topology.west(), topology.westOuterV4(), topology.eastOuterV4(), 2);
            topology.loss(topology.west(), 0);

            assertThat(dropped.anyReceived()).as("%s", dropped).isFalse();
            assertThat(outer.allReceived()).as("%s", outer).isTrue();
            assertThat(Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(), IKE_DEADLINE))
                    .isTrue();
        }
        assertNothingLeft();
    }

    @Test
    void deleteAllTouchesOnlyItsOwnPrefix() {
        String otherPrefix = RunPrefix.next();
        Netns mine = Netns.create(prefix + "x");
        Netns other = Netns.create(otherPrefix + "x");
        try {
            Process sleeper = mine.spawn(Path.of("/dev/null"), "sleep", "600");

            assertThat(Netns.deleteAll(prefix)).containsExactly(mine.name());

            assertThat(sleeper.isAlive()).isFalse();
            assertThat(mine.exists()).isFalse();
            assertThat(other.exists()).isTrue();
        } finally {
            other.delete();
        }
    }

    private Path workDir() {
        Path dir = RunPrefix.workDir(prefix, "it");
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new LabException("cannot create " + dir, e);
        }
    }

    private void assertNothingLeft() {
        assertThat(Netns.list()).noneMatch(name -> name.startsWith(prefix));
    }
}
