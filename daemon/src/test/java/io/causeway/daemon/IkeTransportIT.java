package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.daemon.LabGateway.Conn;
import io.causeway.daemon.testing.Pcap;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import java.net.InetAddress;
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
 * Two Causeway daemons negotiate type=transport over IKEv2 (N(USE_TRANSPORT_MODE), RFC 7296 1.3.1) between their own
 * addresses, without subnets: ping between the two gateway addresses crosses as ESP, the peer's address is routed
 * into the TUN through a table of its own behind a 'not fwmark' rule while the gateways' own IKE and ESP to that
 * same address keep leaving through the real interface (CHILD_SA and IKE SA rekeys under ping prove it), and the rule
 * and route go when the last transport SA does and at SIGTERM. No strongSwan: kernel-libipsec does tunnel mode only.
 */
class IkeTransportIT {
    private static final Duration DEADLINE = LabGateway.DEADLINE;
    private static final String IKE = "aes128-sha256-modp2048!";
    private static final String ESP = "aes128gcm16!";
    /** ip rule's spelling of TransportRoutes' rule with the default mark and table. */
    private static final String RULE = "not from all fwmark 0x1194 lookup 4500";
    private static final String TABLE = "4500";

    private final String prefix = RunPrefix.next();
    private Path captures;

    @BeforeAll
    static void needsRootAndTools() {
        LabRequirements.root();
        LabRequirements.tools("ip", "ping", "tcpdump", "tshark");
    }

    @AfterEach
    void nothingLeft() {
        if (captures != null) {
            LabGateway.deleteRecursively(captures);
        }
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    private static Conn west(String left, String right) {
        return Conn.named("host").set("left", left).set("leftid", "west.example").set("right", right)
                .set("rightid", "east.example").set("type", "transport").set("ike", IKE).set("esp", ESP)
                .set("auto", "start");
    }

    private static Conn east(String left) {
        return Conn.named("host").set("left", left).set("leftid", "east.example").set("right", "%any")
                .set("rightid", "west.example").set("type", "transport").set("ike", IKE).set("esp", ESP)
                .set("auto", "add");
    }

    private static Map<String, Object> child(Map<String, Object> tunnel) {
        List<Map<String, Object>> children = children(tunnel);
        assertThat(children).as("%s", tunnel).isNotEmpty();
        return children.get(children.size() - 1);
    }

    private static String rules(Netns ns) {
        return ns.ip("-4", "rule").stdout();
    }

    /** The peer routes in TransportRoutes' table; empty (or an error saying so) once the table is gone. */
    private static String table(Netns ns) {
        return ns.exec(Duration.ofSeconds(5), "ip", "-4", "route", "show", "table", TABLE).stdout();
    }

    private static String routeGet(Netns ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-4", "route", "get"));
        command.addAll(List.of(args));
        return ns.exec(Duration.ofSeconds(5), command, null).stdout();
    }

    @Test
    void transportModeBetweenTheGatewaysCarriesPingAsEspAndKeepsIkeWorkingAcrossRekeys() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway eastGw = LabGateway.start(t.east(), prefix, east(t.eastOuterV4()));
                // rekeyfuzz=0%: CHILD_SA rekeys every 6 s, the IKE SA at ikelifetime - margintime = 10 s
                LabGateway westGw = LabGateway.start(t.west(), prefix, west(t.westOuterV4(), t.eastOuterV4())
                        .set("lifetime", "12s").set("ikelifetime", "16s").set("margintime", "6s")
                        .set("rekeyfuzz", "0%").set("reauth", "no"))) {
            String west = t.westOuterV4();
            String east = t.eastOuterV4();
            Map<String, Object> up = westGw.awaitState("CONNECTED");
            Map<String, Object> eastUp = eastGw.awaitState("CONNECTED");
            String firstIkeSpi = (String) ike(up).get("spi_i");
            String firstIn = (String) child(up).get("spi_in");
            assertThat(child(up)).containsEntry("mode", "transport").containsEntry("encap", false)
                    .containsEntry("local_ts", List.of(west + "/32")).containsEntry("remote_ts", List.of(east + "/32"));
            assertThat(child(eastUp)).containsEntry("mode", "transport")
                    .containsEntry("local_ts", List.of(east + "/32")).containsEntry("remote_ts", List.of(west + "/32"));
            assertThat(up).doesNotContainKey("routes_not_installed");

            // the peer's address goes into the TUN for unmarked packets only; the main table has no route for it
            assertThat(rules(t.west())).contains(RULE);
            assertThat(rules(t.east())).contains(RULE);
            assertThat(table(t.west())).contains(east + " dev cw0");
            assertThat(table(t.east())).contains(west + " dev cw0");
            assertThat(t.west().ip("-4", "route", "show", "table", "main").stdout()).doesNotContain("cw0");
            assertThat(routeGet(t.west(), east)).contains("dev cw0");
            assertThat(routeGet(t.west(), east, "mark", "0x1194")).contains("dev " + Topology.WEST_INTERFACE)
                    .doesNotContain("cw0");

            // every IP packet between the two addresses but IKE is ESP: 3 pings each way, request and reply
            assertThat(Ping.awaitReply(t.west(), west, east, DEADLINE)).as(westGw.log()).isTrue();
            captures = Files.createDirectories(RunPrefix.workDir(prefix, "pcap"));
            Path pcap = captures.resolve("transport.pcap");
            try (Tshark.Capture capture = Tshark.capture(t.east(), Topology.EAST_INTERFACE, pcap, 12,
                    "ip and host " + west + " and host " + east + " and not udp port 500")) {
                assertThat(Ping.run(t.west(), west, east, 3).allReceived()).isTrue();
                assertThat(Ping.run(t.east(), east, west, 3).allReceived()).isTrue();
                capture.finish(Duration.ofSeconds(5));
            }
            Tshark.Report report = Tshark.analyze(pcap);
            assertThat(report.frames()).as("%s", report).isEqualTo(12);
            assertThat(report.espPackets()).as("every frame ESP: %s", report).isEqualTo(report.frames());
            assertThat(Pcap.readEsp(pcap)).allSatisfy(p -> {
                assertThat(p.udpEncapsulated()).as("%s", p).isFalse();
                assertThat(List.of(p.source(), p.destination()))
                        .containsExactlyInAnyOrder(InetAddress.getByName(west), InetAddress.getByName(east));
            });

            // 20 s of pings cross CHILD_SA rekeys and the IKE SA rekey: each an IKE exchange with the peer's address
            Ping.Result ping = Ping.run(t.west(), west, east, 100, Duration.ofMillis(200), Duration.ofSeconds(25));
            assertThat(ping.received()).as("%s%n--- west ---%n%s%n--- east ---%n%s", ping, westGw.log(), eastGw.log())
                    .isEqualTo(ping.transmitted());
            Map<String, Object> now = westGw.tunnel();
            assertThat(now.get("state")).isEqualTo("CONNECTED");
            assertThat(ike(now).get("spi_i")).as("the IKE SA was rekeyed").isNotEqualTo(firstIkeSpi);
            assertThat(children(now)).as("%s", now).isNotEmpty().noneMatch(c -> firstIn.equals(c.get("spi_in")))
                    .allSatisfy(c -> assertThat(c).containsEntry("mode", "transport"));
            assertThat(((Number) child(now).get("packets_in")).longValue()).isPositive();
            assertThat(westGw.log()).contains("transport mode").doesNotContain("ERROR");

            // SIGTERM: west's rule and route go at once; east's with its last transport SA, which west's DELETE ends
            westGw.close();
            assertThat(rules(t.west())).as("rule left after shutdown").doesNotContain("fwmark");
            assertThat(table(t.west())).doesNotContain(east);
            Poll.require(DEADLINE, "east to remove the route and rule with its last transport SA",
                    () -> !rules(t.east()).contains("fwmark") && !table(t.east()).contains(west));
            assertThat(eastGw.tunnel().get("state")).isEqualTo("DOWN");
            assertThat(eastGw.alive()).isTrue();
        }
    }

    /**
     * West behind the NAT knows itself as 172.31.0.2, east sees it as 192.0.2.1 (RFC 7296 2.23.1): each installs the
     * addresses it sees, ESP goes in UDP 4500, and pings cross both ways.
     */
    @Test
    void behindNatEachGatewayUsesTheAddressesItSees() throws Exception {
        try (Topology t = Topology.create(prefix, true);
                LabGateway eastGw = LabGateway.start(t.east(), prefix, east(t.eastOuterV4()));
                LabGateway westGw = LabGateway.start(t.west(), prefix, west(t.westOuterV4(), t.eastOuterV4()))) {
            String westOwn = t.westOuterV4();
            String westSeen = t.westPublicV4();
            String east = t.eastOuterV4();
            Map<String, Object> up = westGw.awaitState("CONNECTED");
            Map<String, Object> eastUp = eastGw.awaitState("CONNECTED");
            assertThat(child(up)).containsEntry("mode", "transport").containsEntry("encap", true)
                    .containsEntry("local_ts", List.of(westOwn + "/32")).containsEntry("remote_ts", List.of(east + "/32"));
            assertThat(child(eastUp)).containsEntry("mode", "transport").containsEntry("encap", true)
                    .containsEntry("local_ts", List.of(east + "/32")).containsEntry("remote_ts", List.of(westSeen + "/32"));

            // west first: its ESP in UDP opens the NAT mapping east's packets need
            assertThat(Ping.awaitReply(t.west(), westOwn, east, DEADLINE)).as(westGw.log()).isTrue();
            assertThat(Ping.run(t.west(), westOwn, east, 3).allReceived()).isTrue();
            assertThat(Ping.run(t.east(), east, westSeen, 3).allReceived()).as(eastGw.log()).isTrue();
            assertThat(((Number) child(eastGw.tunnel()).get("packets_in")).longValue()).isGreaterThanOrEqualTo(6);
            assertThat(table(t.east())).contains(westSeen + " dev cw0");
        }
    }
}
