package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
  * Two Causeway static-key data planes (no IKE) in the lab: ping through them and let tshark check
  * the ESP on the wire. Skipped until causeway.jar has the hidden static-tunnel command.
  */
class CausewayStaticTunnelIT {
    private final String prefix = RunPrefix.next();
    private CausewayLauncher launcher;

    // per test rather than @BeforeAll, so reports show the test as skipped with the reason
    @BeforeEach
    void requireRootToolsAndCommand() {
        LabRequirements.root();
        LabRequirements.tools("ip", "ping", "tcpdump", "tshark");
        try {
            launcher = CausewayLauncher.locate();
        } catch (LabException e) {
            LabRequirements.that(false, e.getMessage());
        }
        // picocli answers an unknown subcommand with "Unmatched argument"; a known one prints its
        // usage (also when it has no --help option of its own)
        ExecResult help = Commands.run(Duration.ofSeconds(30), launcher.command("static-tunnel", "--help"));
        String said = help.stdout() + help.stderr();
        LabRequirements.that(said.contains("static-tunnel") && !said.contains("Unmatched argument"),
                "causeway.jar has no static-tunnel command yet");
    }

    @AfterEach
    void safetyNet() {
        Netns.deleteAll(prefix);
        Files2.deleteRecursively(RunPrefix.workDir(prefix, "it"));
    }

    @Test
    void udpEncapsulatedTunnelCarriesPingAndDissectsCleanly() {
        Path dir = Files2.freshDir(RunPrefix.workDir(prefix, "it"));
        try (Topology topology = Topology.create(prefix, false)) {
            StaticTunnelSpec.Files files = StaticTunnelSpec.forTopology(topology).suite("aes128gcm16").encap("udp")
                    .writeTo(dir);
            try (CausewayProcess east = CausewayProcess.startStaticTunnel(topology.east(), launcher, files.eastFile(),
                              dir.resolve("east.log"), CausewayProcess.DEFAULT_READY_DEADLINE);
                      CausewayProcess west = CausewayProcess.startStaticTunnel(topology.west(), launcher, files.westFile(),
                              dir.resolve("west.log"), CausewayProcess.DEFAULT_READY_DEADLINE)) {
                Path pcap = dir.resolve("esp.pcap");
                try (Tshark.Capture capture = Tshark.capture(topology.east(), topology.eastInterface(), pcap, 10)) {
                    assertThat(Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(),
                            Duration.ofSeconds(15))).as(west.log()).isTrue();
                    Ping.Result v4 = Ping.run(topology.west(), topology.westHostV4(), topology.eastHostV4(), 5);
                    Ping.Result v6 = Ping.run(topology.west(), topology.westHostV6(), topology.eastHostV6(), 5);
                    assertThat(v4.allReceived()).as("%s", v4).isTrue();
                    assertThat(v6.allReceived()).as("%s", v6).isTrue();
                    capture.finish(Duration.ofSeconds(5));
                }
                Tshark.Report report = Tshark.analyze(pcap);
                assertThat(report.espPackets()).as("%s", report).isPositive();
                assertThat(report.hasErrors()).as("%s", report).isFalse();
                assertThat(west.status().ok()).as(west.status().describe()).isTrue();
            }
        }
        assertThat(Netns.list()).noneMatch(name -> name.startsWith(prefix));
    }
}
