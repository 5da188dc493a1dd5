package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabTestBase;
import io.causeway.daemon.testing.Pcap;
import io.causeway.daemon.testing.TunnelLab;
import io.causeway.daemon.testing.TunnelStatus;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Iperf3;
import io.causeway.lab.Netns;
import io.causeway.lab.Poll;
import io.causeway.lab.StaticTunnelSpec;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
  * Causeway to Causeway with static transport-mode SAs between the two gateways' own addresses:
  * ping and TCP from one gateway address to the other must cross as ESP (raw, and in UDP 4500
  * through a NAT), never in the clear, and the gateways' own ESP must not loop into the TUN that
  * routes the peer's address. strongSwan is no interop partner here: its kernel-libipsec, the
  * userspace backend the other lab tests use, refuses any SA not in tunnel mode.
  */
class TransportModeIT extends LabTestBase {
    private static final int SPI_WEST_TO_EAST = (int) Long.decode(StaticTunnelSpec.SPI_WEST_TO_EAST).longValue();
    private static final int SPI_EAST_TO_WEST = (int) Long.decode(StaticTunnelSpec.SPI_EAST_TO_WEST).longValue();
    private static final int IPERF_SECONDS = 2;

    @Test
    void rawEspCarriesPingAndTcpBetweenTheGatewaysAndRemovesItsRuleOnShutdown() throws IOException {
        try (TunnelLab lab = createLab(false)) {
            String west = Topology.WEST_PUBLIC_V4;
            String east = Topology.EAST_PUBLIC_V4;
            lab.start(launcher, lab.spec().mode("transport").encap("esp")
                    .trafficSelectors(west + "/32", east + "/32"));
            assertThat(lab.westNs().ip("-4", "rule").stdout()).contains("not from all fwmark 0x1194 lookup 4500");

            Path pcap = lab.dir().resolve("transport-esp.pcap");
            pingBothWaysCapturing(lab, west, east, pcap, 12);
            assertOnlyEspOnTheWire(pcap, west, east, false);

            assertTcpCrosses(lab, lab.eastNs(), east, lab.westNs(), west);
            TunnelStatus westStatus = lab.west().status();
            assertThat(westStatus.child().get("mode")).isEqualTo("transport");
            assertThat(westStatus.drop("auth_failed") + westStatus.drop("selector") + westStatus.drop("malformed"))
                    .as("%s", westStatus).isZero();

            // Larger than the TUN MTU without DF: the kernel fragments it, and transport mode
            // carries no fragments (RFC 4301 4.1): counted, not sent.
            lab.westNs().exec(Duration.ofSeconds(10), "ping", "-n", "-c", "1", "-W", "1", "-M", "dont",
                    "-s", "3000", "-I", west, east);
            assertThat(Poll.until(COUNTER_DEADLINE, () -> lab.west().status().drop("fragment") >= 2))
                    .as("%s", lab.west().status()).isTrue();

            lab.west().process().close(); // SIGTERM
            assertThat(lab.westNs().ip("-4", "rule").stdout()).as("rule left after shutdown").doesNotContain("fwmark");
        }
    }

    @Test
    void udpEncapsulatedThroughNatCarriesPingAndTcpWithChecksumsRepaired() throws IOException {
        try (TunnelLab lab = createLab(true)) {
            // west knows itself as 172.31.0.2; east sees it as the NAT's 192.0.2.1
            String westOwn = Topology.WEST_BEHIND_NAT_V4;
            String westSeen = Topology.WEST_PUBLIC_V4;
            String east = Topology.EAST_PUBLIC_V4;
            StaticTunnelSpec spec = lab.spec().mode("transport").encap("udp");
            String westFile = withSelectors(spec.west(), westOwn, east);
            String eastFile = withSelectors(spec.east(), east, westSeen);
            lab.start(launcher, westFile, eastFile);

            // West first: its ESP-in-UDP opens the NAT mapping that east's replies need.
            assertPings(lab, lab.westNs(), westOwn, east);
            Path pcap = lab.dir().resolve("transport-nat.pcap");
            try (Tshark.Capture capture = Tshark.capture(lab.eastNs(), Topology.EAST_INTERFACE, pcap, 8,
                    between(westSeen, east))) {
                assertPings(lab, lab.eastNs(), east, westSeen);
                capture.finish(Duration.ofSeconds(5));
            }
            assertOnlyEspOnTheWire(pcap, westSeen, east, true);

            // TCP both ways through the NAT: each side's kernel accepts the segments only if the
            // receiver recomputed the checksum over the addresses it rebuilt (RFC 3948 3.1.2).
            assertTcpCrosses(lab, lab.eastNs(), east, lab.westNs(), westOwn);
            // and a connection east opens to west's public address, which only ESP brings to west
            assertTcpEcho(lab, lab.westNs(), westOwn, lab.eastNs(), east, westSeen);
            assertThat(lab.east().status().drop("selector") + lab.west().status().drop("selector")).isZero();
        }
    }

    @Test
    void udpEncapsulatedIpv6CarriesPingAndTcp() throws IOException {
        try (TunnelLab lab = createLab(false)) {
            String west = Topology.WEST_PUBLIC_V6;
            String east = Topology.EAST_PUBLIC_V6;
            StaticTunnelSpec spec = lab.spec().mode("transport").encap("udp");
            String westFile = TunnelLab.override(TunnelLab.override(withSelectors(spec.west(), west, east),
                    "local", west), "remote", east);
            String eastFile = TunnelLab.override(TunnelLab.override(withSelectors(spec.east(), east, west),
                    "local", east), "remote", west);
            lab.start(launcher, westFile, eastFile);
            assertThat(lab.westNs().ip("-6", "rule").stdout()).contains("not from all fwmark 0x1194 lookup 4500");

            Path pcap = lab.dir().resolve("transport-v6.pcap");
            pingBothWaysCapturing(lab, west, east, pcap, 12);
            assertOnlyEspOnTheWire(pcap, west, east, true);
            assertTcpCrosses(lab, lab.eastNs(), east, lab.westNs(), west);
        }
    }

    private static String withSelectors(String properties, String local, String remote) {
        String suffix = local.contains(":") ? "/128" : "/32";
        return TunnelLab.override(TunnelLab.override(properties, "local_ts", local + suffix), "remote_ts",
                remote + suffix);
    }

    /**
      * Every IP packet between the two addresses, except IPv6 neighbour discovery (ICMPv6 types
      * 133-137), which the kernel sends on the link itself, outside any routing.
      */
    private static String between(String a, String b) {
        String hosts = " and host " + a + " and host " + b;
        return a.contains(":") ? "ip6" + hosts + " and not (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)" : "ip" + hosts;
    }

    /** Pings both ways (3 + 3 echo requests, each with a reply) while east's link is captured. */
    private static void pingBothWaysCapturing(TunnelLab lab, String west, String east, Path pcap, int packets) {
        assertPings(lab, lab.westNs(), west, east); // up, and neighbour entries resolved
        try (Tshark.Capture capture = Tshark.capture(lab.eastNs(), Topology.EAST_INTERFACE, pcap, packets,
                between(west, east))) {
            TunnelStatus before = lab.west().status();
            assertPings(lab, lab.westNs(), west, east);
            assertPings(lab, lab.eastNs(), east, west);
            capture.finish(Duration.ofSeconds(5));
            assertThat(Poll.until(COUNTER_DEADLINE, () -> lab.west().status().packetsOut() >= before.packetsOut() + 6
                    && lab.west().status().packetsIn() >= before.packetsIn() + 6))
                    .as("west's SA counters: before %s, after %s", before, lab.west().status()).isTrue();
        }
    }

    /**
      * Every IP packet between the two addresses on the wire was ESP of our SPIs: a ping or TCP
      * segment that bypassed the TUN would show up here in the clear.
      */
    private static void assertOnlyEspOnTheWire(Path pcap, String west, String east, boolean udp) throws IOException {
        Tshark.Report report = Tshark.analyze(pcap);
        assertThat(report.frames()).as("%s", report).isPositive();
        assertThat(report.espPackets()).as("every frame ESP: %s", report).isEqualTo(report.frames());
        assertThat(report.hasErrors()).as("%s", report).isFalse();
        List<Pcap.Esp> esp = Pcap.readEsp(pcap);
        assertThat(esp).hasSize(report.frames()).allSatisfy(p -> {
            assertThat(p.udpEncapsulated()).as("%s", p).isEqualTo(udp);
            assertThat(p.spi()).as("%s", p).isIn(SPI_WEST_TO_EAST, SPI_EAST_TO_WEST);
            assertThat(List.of(p.source(), p.destination()))
                    .containsExactlyInAnyOrder(InetAddress.getByName(west), InetAddress.getByName(east));
        });
    }

    private static void assertTcpCrosses(TunnelLab lab, Netns serverNs, String server, Netns clientNs, String client) {
        TunnelStatus before = lab.west().status();
        Iperf3.Result iperf = Iperf3.measure(serverNs, server, clientNs, client, IPERF_SECONDS, lab.dir());
        assertThat(iperf.bitsPerSecond()).as("%s%s", iperf, lab.logs()).isPositive();
        long payload = (long) (iperf.bitsPerSecond() * iperf.seconds() / 8 * 0.99);
        boolean counted = Poll.until(COUNTER_DEADLINE, () -> {
            TunnelStatus now = lab.west().status();
            return now.bytesOut() - before.bytesOut() + now.bytesIn() - before.bytesIn() >= payload;
        });
        assertThat(counted).as("%s: west before %s, after %s", iperf, before, lab.west().status()).isTrue();
    }

    private static final int ECHO_PORT = 7001;
    private static final int ECHO_BYTES = 200_000;
    /** Echoes one connection, then exits; bounded by its own timeout. */
    private static final String ECHO_SERVER = """
            import socket, sys
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(1); s.settimeout(30)
            c, _ = s.accept(); c.settimeout(30)
            while True:
                d = c.recv(65536)
                if not d: break
                c.sendall(d)
            c.close()
            """;
    /** Sends ECHO_BYTES of a pattern, reads them back, prints "echoed N" when every byte matched. */
    private static final String ECHO_CLIENT = """
            import socket, sys, threading
            data = bytes(i % 251 for i in range(int(sys.argv[4])))
            c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=30, source_address=(sys.argv[1], 0))
            def send():
                c.sendall(data); c.shutdown(socket.SHUT_WR)
            t = threading.Thread(target=send); t.start()
            got = bytearray()
            while True:
                d = c.recv(65536)
                if not d: break
                got += d
            t.join()
            print("echoed", len(got) if bytes(got) == data else -1)
            """;

    /** A TCP echo from client to server, where the client connects to {@code serverSeenAs}. */
    private static void assertTcpEcho(TunnelLab lab, Netns serverNs, String server, Netns clientNs, String client,
            String serverSeenAs) {
        Process echo = serverNs.spawn(lab.dir().resolve("echo-server.log"), "python3", "-c", ECHO_SERVER, server,
                Integer.toString(ECHO_PORT));
        try {
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !echo.isAlive() || !serverNs.exec(Duration.ofSeconds(5),
                    "ss", "-Hltn", "sport = :" + ECHO_PORT).stdout().isBlank()))
                    .as("echo server listening").isTrue();
            ExecResult result = clientNs.exec(Duration.ofSeconds(60), List.of("python3", "-c", ECHO_CLIENT, client,
                    serverSeenAs, Integer.toString(ECHO_PORT), Integer.toString(ECHO_BYTES)), null);
            assertThat(result.stdout().strip()).as("%s%s", result.describe(), lab.logs())
                    .isEqualTo("echoed " + ECHO_BYTES);
        } finally {
            echo.destroyForcibly();
        }
    }
}
