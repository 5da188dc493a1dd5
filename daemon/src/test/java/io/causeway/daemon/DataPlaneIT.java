package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabTestBase;
import io.causeway.daemon.testing.Pcap;
import io.causeway.daemon.testing.TunnelLab;
import io.causeway.daemon.testing.TunnelStatus;
import io.causeway.lab.Iperf3;
import io.causeway.lab.Netns;
import io.causeway.lab.Poll;
import io.causeway.lab.StaticTunnelSpec;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import java.io.IOException;
import java.net.Inet6Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
  * The static-key data plane carrying traffic between two namespaces: UDP-encapsulated and raw
  * ESP, AEAD and CBC suites, through a NAT, over IPv6, and its shutdown. Each test builds its
  * own topology and removes it, also when it fails.
  */
class DataPlaneIT extends LabTestBase {
    private static final int SPI_WEST_TO_EAST = (int) Long.decode(StaticTunnelSpec.SPI_WEST_TO_EAST).longValue();
    private static final int SPI_EAST_TO_WEST = (int) Long.decode(StaticTunnelSpec.SPI_EAST_TO_WEST).longValue();

    @Test
    void udpEncapsulatedTunnelCarriesPingAndIperfAndDissectsCleanly() throws IOException {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite("aes128gcm16").encap("udp"));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());

            Path pcap = lab.dir().resolve("udp.pcap");
            pingBothWaysDissectingCleanly(lab, pcap, Tshark.ESP_FILTER);
            List<Pcap.Esp> esp = Pcap.readEsp(pcap);
            assertThat(esp).isNotEmpty().allSatisfy(p -> {
                assertThat(p.udpEncapsulated()).as("%s", p).isTrue();
                assertThat(p.destinationPort()).as("%s", p).isEqualTo(4500);
                assertThat(p.spi()).as("%s", p).isIn(SPI_WEST_TO_EAST, SPI_EAST_TO_WEST);
            });

            // status --json through the CLI, as an operator would read it
            TunnelStatus westBefore = lab.west().cliStatus();
            TunnelStatus eastBefore = lab.east().cliStatus();
            Iperf3.Result iperf = Iperf3.measure(lab.eastNs(), t.eastHostV4(), lab.westNs(), t.westHostV4(), 3, lab.dir());
            assertThat(iperf.bitsPerSecond()).as("%s", iperf).isPositive();
            // TCP payload east received; every ESP byte count (inner or outer) is at least that. The
            // 1% margin only absorbs rounding of iperf3's bits_per_second * seconds.
            long payload = (long) (iperf.bitsPerSecond() * iperf.seconds() / 8 * 0.99);
            assertThat(payload).as("%s", iperf).isPositive();
            boolean grew = Poll.until(COUNTER_DEADLINE, () -> {
                TunnelStatus west = lab.west().status();
                TunnelStatus east = lab.east().status();
                return west.bytesOut() - westBefore.bytesOut() >= payload
                        && east.bytesIn() - eastBefore.bytesIn() >= payload
                        && east.bytesOut() > eastBefore.bytesOut() // TCP's ACKs
                        && west.bytesIn() > westBefore.bytesIn();
            });
            TunnelStatus westAfter = lab.west().cliStatus();
            TunnelStatus eastAfter = lab.east().cliStatus();
            assertThat(grew).as("%s, %d payload bytes; west before %s after %s; east before %s after %s",
                    iperf, payload, westBefore, westAfter, eastBefore, eastAfter).isTrue();
            assertThat(westAfter.packetsOut()).isGreaterThan(westBefore.packetsOut());
            assertThat(eastAfter.packetsIn()).isGreaterThan(eastBefore.packetsIn());
            assertThat(eastAfter.drop("auth_failed")).as("%s", eastAfter).isZero();
            assertThat(westAfter.drop("auth_failed")).as("%s", westAfter).isZero();
            // The offloads carried the stream: west read TCP super-packets from its TUN and sent their datagrams
            // in GSO batches; east wrote coalesced segments. And no packet was lost on the way (tshark above
            // found the ESP well formed; the byte counts add up).
            assertThat(westAfter.offload("super_packets")).as("%s", westAfter).isPositive();
            assertThat(westAfter.offload("split_packets")).isGreaterThan(westAfter.offload("super_packets"));
            assertThat(westAfter.offload("gso_sends")).as("%s", westAfter).isPositive();
            assertThat(eastAfter.offload("coalesced")).as("%s", eastAfter).isPositive();
            assertThat(eastAfter.drop("malformed") + westAfter.drop("malformed")).isZero();
        }
    }

    /**
     * Pings both ways over IPv4 and IPv6 inside while capturing on east's link, then checks that
     * tshark dissects the ESP without errors. 4 ping runs of 3 requests, each request and reply one
     * ESP packet: 24 in all.
     */
    private static void pingBothWaysDissectingCleanly(TunnelLab lab, Path pcap, String filter) {
        Topology t = lab.topology();
        try (Tshark.Capture capture = Tshark.capture(lab.eastNs(), t.eastInterface(), pcap, 24, filter)) {
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
            assertPings(lab, lab.eastNs(), t.eastHostV4(), t.westHostV4());
            assertPings(lab, lab.westNs(), t.westHostV6(), t.eastHostV6());
            assertPings(lab, lab.eastNs(), t.eastHostV6(), t.westHostV6());
            capture.finish(Duration.ofSeconds(5));
        }
        Tshark.Report report = Tshark.analyze(pcap);
        assertThat(report.espPackets()).as("%s", report).isPositive();
        assertThat(report.hasErrors()).as("%s", report).isFalse();
    }

    @Test
    void rawEspTunnelCarriesPingAndDissectsCleanly() throws IOException {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite("aes128gcm16").encap("esp"));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());

            Path pcap = lab.dir().resolve("esp.pcap");
            pingBothWaysDissectingCleanly(lab, pcap, "ip proto 50 or ip6 proto 50 or udp port 4500");
            List<Pcap.Esp> esp = Pcap.readEsp(pcap);
            // nothing went over UDP: encap=esp means IP protocol 50 only
            assertThat(esp).isNotEmpty().allSatisfy(p -> {
                assertThat(p.udpEncapsulated()).as("%s", p).isFalse();
                assertThat(p.spi()).as("%s", p).isIn(SPI_WEST_TO_EAST, SPI_EAST_TO_WEST);
            });
        }
    }

    @Test
    void rawEspCarriesIperfInSendmmsgAndRecvmmsgBatches() {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite("aes128gcm16").encap("esp"));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
            Iperf3.Result iperf = Iperf3.measure(lab.eastNs(), t.eastHostV4(), lab.westNs(), t.westHostV4(), 3, lab.dir());
            assertThat(iperf.bitsPerSecond()).as("%s", iperf).isPositive();
            long payload = (long) (iperf.bitsPerSecond() * iperf.seconds() / 8 * 0.99);
            boolean arrived = Poll.until(COUNTER_DEADLINE, () -> lab.east().status().bytesIn() >= payload);
            TunnelStatus west = lab.west().cliStatus();
            TunnelStatus east = lab.east().cliStatus();
            assertThat(arrived).as("%s, %d payload bytes; west %s; east %s", iperf, payload, west, east).isTrue();
            // west sent each read's datagrams in one sendmmsg, east took what was queued in one recvmmsg and
            // wrote the opened segments of a batch to its TUN coalesced
            assertThat(west.offload("raw_batch_sends")).as("%s", west).isPositive();
            assertThat(west.offload("gso_sends")).as("%s", west).isZero();
            assertThat(east.offload("raw_batch_receives")).as("%s", east).isPositive();
            assertThat(east.offload("coalesced")).as("%s", east).isPositive();
            assertThat(east.drop("auth_failed") + east.drop("replay") + east.drop("malformed")).as("%s", east).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes256-sha256", "3des-sha1"})
    void cbcSuiteCarriesPing(String suite) {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec().suite(suite));
            Topology t = lab.topology();
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
            assertPings(lab, lab.eastNs(), t.eastHostV4(), t.westHostV4());
            assertPings(lab, lab.westNs(), t.westHostV6(), t.eastHostV6());
            TunnelStatus west = lab.west().status();
            assertThat(west.child().get("proposal")).as("%s", west).isEqualTo(suite);
            assertThat(west.drop("auth_failed") + lab.east().status().drop("auth_failed")).isZero();
        }
    }


    @Test
    void udpEncapsulatedTunnelWorksThroughMasqueradingNat() {
        try (TunnelLab lab = createLab(true)) {
            // forTopology: west binds its private 172.31.0.2, east expects it at the NAT's 192.0.2.1
            lab.start(launcher, lab.spec().encap("udp"));
            Topology t = lab.topology();
            // West must send first: only its outgoing ESP-in-UDP creates the NAT's conntrack mapping
            // 192.0.2.1:4500 -> 172.31.0.2:4500; before that, east's packets to 192.0.2.1 are dropped
            // by the NAT (there is no keepalive in the static tunnel to open it).
            assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
            assertPings(lab, lab.eastNs(), t.eastHostV4(), t.westHostV4());
            assertPings(lab, lab.eastNs(), t.eastHostV6(), t.westHostV6());
            assertThat(lab.east().status().packetsIn()).isPositive();
            assertThat(lab.west().status().packetsIn()).isPositive();
        }
    }

    @Test
    void ipv6OuterAddressesCarryIpv4Inner() throws IOException {
        try (TunnelLab lab = createLab(false)) {
            StaticTunnelSpec spec = lab.spec().encap("udp");
            // StaticTunnelSpec.set writes one value to both files; local/remote differ per side
            String west = TunnelLab.override(TunnelLab.override(spec.west(), "local", Topology.WEST_PUBLIC_V6),
                    "remote", Topology.EAST_PUBLIC_V6);
            String east = TunnelLab.override(TunnelLab.override(spec.east(), "local", Topology.EAST_PUBLIC_V6),
                    "remote", Topology.WEST_PUBLIC_V6);
            lab.start(launcher, west, east);
            Topology t = lab.topology();
            Path pcap = lab.dir().resolve("v6outer.pcap");
            try (Tshark.Capture capture = Tshark.capture(lab.eastNs(), t.eastInterface(), pcap, 12)) {
                assertPings(lab, lab.westNs(), t.westHostV4(), t.eastHostV4());
                assertPings(lab, lab.eastNs(), t.eastHostV4(), t.westHostV4());
                capture.finish(Duration.ofSeconds(5));
            }
            List<Pcap.Esp> esp = Pcap.readEsp(pcap);
            assertThat(esp).isNotEmpty().allSatisfy(p -> {
                assertThat(p.source()).as("%s", p).isInstanceOf(Inet6Address.class);
                assertThat(p.udpEncapsulated()).as("%s", p).isTrue();
            });
            assertThat(lab.west().status().tunnel().get("remote")).isEqualTo("2001:db8:0:0:0:0:0:2");
        }
    }

    /** Stop/start cycles in the shutdown test: a cleanup that races the JVM's exit shows up in some. */
    private static final int SHUTDOWN_CYCLES = 3;

    @Test
    void sigtermRemovesTunDeviceAndControlSocket() {
        try (TunnelLab lab = createLab(false)) {
            lab.start(launcher, lab.spec());
            Netns west = lab.westNs();
            for (int cycle = 1; cycle <= SHUTDOWN_CYCLES; cycle++) {
                TunnelLab.Gateway gateway = cycle == 1 ? lab.west() : lab.restartWest(launcher);
                assertThat(west.exec(Duration.ofSeconds(10), "ip", "link", "show", "cw0").ok()).isTrue();
                assertThat(gateway.socket()).exists();

                // SIGTERM by hand rather than CausewayProcess.close(): close() deletes a leftover socket
                // itself, which would hide a daemon that does not.
                ProcessHandle handle = ProcessHandle.of(gateway.process().pid()).orElseThrow();
                handle.destroy();
                assertThat(Poll.until(Duration.ofSeconds(15), () -> !handle.isAlive()))
                        .as("cycle %d: Causeway still running 15 s after SIGTERM%s", cycle, lab.logs()).isTrue();

                assertThat(west.exec(Duration.ofSeconds(10), "ip", "link", "show", "cw0").ok())
                        .as("cycle %d: cw0 still in %s after Causeway exited", cycle, west).isFalse();
                assertThat(Files.exists(gateway.socket()))
                        .as("cycle %d: control socket %s left behind after SIGTERM%s", cycle, gateway.socket(), lab.logs())
                        .isFalse();
            }
        }
    }
}
