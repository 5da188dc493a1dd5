package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Commands;
import io.causeway.lab.Netns;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IKE fragmentation (RFC 7383) between Causeway and strongSwan 5.9.8 both ways: eight subnets on each side make
 * IKE_AUTH larger than a 300-byte fragment size on both peers (Causeway's hidden --ike-fragment-size, charon's
 * fragment_size), so request and response each travel as Encrypted Fragment payloads, and the tunnel comes up.
 */
class IkeFragmentationIT {
    /** The IP datagram limit both peers fragment to; IKE_AUTH with 8+8 selectors is about 500 bytes. */
    private static final int FRAGMENT_SIZE = 300;
    /** RFC 7296 3.1 exchange type, RFC 7383 2.5 payload type. */
    private static final String IKE_AUTH = "35";
    private static final String ENCRYPTED_FRAGMENT = "53";
    /**
     * Eight subnets a side, the topology's first; each added one gets its .1 on lo, because strongSwan installs every
     * selector pair's route with a local address inside it as source. The pings use the topology's pair.
     */
    private static final List<String> WEST_SUBNETS = subnets(Topology.WEST_SUBNET_V4, "10.10%d.0.0/24");
    private static final List<String> EAST_SUBNETS = subnets(Topology.EAST_SUBNET_V4, "10.20%d.0.0/24");

    private final String prefix = RunPrefix.next();

    @BeforeAll
    static void needsRootAndTools() {
        LabRequirements.root();
        LabRequirements.tools("charon", "ping", "tcpdump", "tshark");
    }

    @AfterEach
    void nothingLeft() {
        LabGateway.deleteRecursively(RunPrefix.workDir(prefix, "frag"));
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    @Test
    void ikeAuthIsFragmentedBothWaysWithCausewayInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addSubnetHosts(t);
            Path pcap = captureFile("init");
            try (StrongSwan east = eastStrongSwan(t, SwanctlConf.eastResponder(t));
                    Tshark.Capture capture = captureIke(t, pcap);
                    LabGateway west = westCauseway(t, "start")) {
                assertTunnelCarriesTraffic(t, west, east);
                assertIkeAuthFragmentedBothWays(capture, t, west, east);
            }
        }
    }

    @Test
    void ikeAuthIsFragmentedBothWaysWithStrongSwanInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addSubnetHosts(t);
            Path pcap = captureFile("resp");
            try (LabGateway west = westCauseway(t, "add");
                    StrongSwan east = eastStrongSwan(t, SwanctlConf.eastResponder(t).remoteAddrs(t.westOuterV4()));
                    Tshark.Capture capture = captureIke(t, pcap)) {
                assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
                assertTunnelCarriesTraffic(t, west, east);
                assertIkeAuthFragmentedBothWays(capture, t, west, east);
            }
        }
    }

    private LabGateway westCauseway(Topology t, String auto) throws Exception {
        return LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("auto", auto)
                        .set("leftsubnet", String.join(",", WEST_SUBNETS))
                        .set("rightsubnet", String.join(",", EAST_SUBNETS))
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!").set("fragmentation", "yes"),
                "--ike-fragment-size", Integer.toString(FRAGMENT_SIZE));
    }

    private static StrongSwan eastStrongSwan(Topology t, SwanctlConf conf) {
        return StrongSwan.startAndLoad(t.east(), conf.localTs(String.join(",", EAST_SUBNETS))
                        .remoteTs(String.join(",", WEST_SUBNETS)).fragmentation("yes").build(),
                Map.of("fragment_size", Integer.toString(FRAGMENT_SIZE)));
    }

    private Path captureFile(String name) throws Exception {
        return Files.createDirectories(RunPrefix.workDir(prefix, "frag")).resolve(name + ".pcap");
    }

    /** IKE on 500 and 4500 at east's interface, until closed (the count is only a bound). */
    private static Tshark.Capture captureIke(Topology t, Path pcap) {
        return Tshark.capture(t.east(), t.eastInterface(), pcap, 10_000, "udp port 500 or udp port 4500");
    }

    private static void assertTunnelCarriesTraffic(Topology t, LabGateway west, StrongSwan east) {
        Map<String, Object> up = west.awaitState("CONNECTED");
        assertThat(children(up)).singleElement().satisfies(c -> {
            assertThat(c.get("local_ts")).isEqualTo(WEST_SUBNETS);
            assertThat(c.get("remote_ts")).isEqualTo(EAST_SUBNETS);
        });
        east.waitEstablished(DEADLINE);
        assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
        Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
        assertThat(ping.allReceived()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, west.log(),
                east.log()).isTrue();
    }

    /**
     * Every IKE_AUTH datagram in the capture is an SKF fragment no bigger than the fragment size, and each peer sent
     * at least two of them (its request or response did not fit in one).
     */
    private static void assertIkeAuthFragmentedBothWays(Tshark.Capture capture, Topology t, LabGateway west,
            StrongSwan east) {
        Path pcap = capture.pcap();
        // tcpdump hands packets to the file a buffer block at a time and loses the last block when stopped, so wait
        // until the file holds IKE_AUTH from both sides before stopping it
        Poll.until(DEADLINE, Duration.ofMillis(500), () -> {
            List<IkeDatagram> seen = ikeAuthDatagrams(pcap);
            return seen.stream().filter(d -> d.source().equals(t.westOuterV4())).count() >= 2
                    && seen.stream().filter(d -> d.source().equals(t.eastOuterV4())).count() >= 2;
        });
        capture.close();
        List<IkeDatagram> ikeAuth = ikeAuthDatagrams(pcap);
        String summary = Commands.run(Duration.ofSeconds(60), "tshark", "-n", "-r", pcap.toString()).stdout();
        String context = String.format("IKE_AUTH datagrams %s%n--- capture ---%n%s%n--- causeway ---%n%s%n"
                + "--- strongSwan ---%n%s", ikeAuth, summary, west.log(), east.log());
        assertThat(ikeAuth).as(context).allSatisfy(d -> {
            assertThat(d.nextPayload()).isEqualTo(ENCRYPTED_FRAGMENT);
            assertThat(d.ipLength()).isLessThanOrEqualTo(FRAGMENT_SIZE);
        });
        assertThat(ikeAuth).as(context).filteredOn(d -> d.source().equals(t.westOuterV4())).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ikeAuth).as(context).filteredOn(d -> d.source().equals(t.eastOuterV4())).hasSizeGreaterThanOrEqualTo(2);
        // strongSwan's own account: it reassembled what it received and fragmented what it sent
        assertThat(east.log()).as(context).contains("received fragment #1 of", "splitting IKE message");
    }

    /** One IKE_AUTH datagram as tshark reads it: IP source, IP total length, the IKE header's next payload. */
    private record IkeDatagram(String source, int ipLength, String nextPayload) {}

    private static List<IkeDatagram> ikeAuthDatagrams(Path pcap) {
        // occurrence=f: the IKE header's next payload, not one of the payloads tshark may show after reassembly;
        // the exit code is not checked, as a file still being written may end in a record cut short
        String fields = Commands.run(Duration.ofSeconds(60), "tshark", "-n", "-r", pcap.toString(),
                "-Y", "isakmp.exchangetype == " + IKE_AUTH, "-T", "fields", "-E", "occurrence=f",
                "-e", "ip.src", "-e", "ip.len", "-e", "isakmp.nextpayload").stdout();
        List<IkeDatagram> datagrams = new ArrayList<>();
        for (String line : fields.strip().split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                datagrams.add(new IkeDatagram(f[0], Integer.parseInt(f[1]), f[2]));
            }
        }
        return datagrams;
    }

    private static void addSubnetHosts(Topology t) {
        for (int i = 1; i < WEST_SUBNETS.size(); i++) {
            t.west().ip("addr", "add", WEST_SUBNETS.get(i).replace(".0/24", ".1/32"), "dev", "lo");
            t.east().ip("addr", "add", EAST_SUBNETS.get(i).replace(".0/24", ".1/32"), "dev", "lo");
        }
    }

    private static List<String> subnets(String first, String pattern) {
        List<String> all = new ArrayList<>(List.of(first));
        IntStream.rangeClosed(1, 7).forEach(i -> all.add(String.format(pattern, i)));
        return List.copyOf(all);
    }
}
