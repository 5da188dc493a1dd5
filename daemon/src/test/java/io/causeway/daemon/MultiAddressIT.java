package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.daemon.testing.LabRequirements;
import io.causeway.daemon.testing.Pcap;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Tshark;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Causeway hub with two addresses on its one outer interface, as a cloud VPN gateway with two public addresses,
 * and two Causeway peers, each with a tunnel to a different one of them:
 *
 * <pre>
 *   hub  hv 192.0.2.1, 192.0.2.11 ─┐
 *   a    av 192.0.2.2  ────────────┼─ br0 in the switch namespace
 *   b    bv 192.0.2.3  ────────────┘
 *   LANs (on lo): hub 10.1.0.1, a 10.2.0.1, b 10.3.0.1
 * </pre>
 *
 * The hub starts with the connection to a only (left=192.0.2.1, a initiates); a reload adds the one to b on
 * 192.0.2.11 (auto=start, so the hub initiates from it), which opens that address's sockets. The kernel would pick
 * 192.0.2.1, the interface's primary address, as source towards b, so every IKE and ESP packet of b's tunnel that
 * comes from 192.0.2.11 left through that address's own sockets. b's connection names 192.0.2.11 as its right, so
 * it would not even answer IKE from elsewhere. A last reload with a connection on an address the hub lacks is
 * refused and changes nothing.
 *
 * <p>The second test puts two strongSwan charons in a's and b's place, both connections in the hub's configuration
 * from the start.
 */
class MultiAddressIT {
    private static final Duration DEADLINE = LabGateway.DEADLINE;
    /** Two charons, the hub and its JVM on a busy two-core machine. */
    private static final Duration SWAN_DEADLINE = Duration.ofSeconds(60);
    private static final String HUB_A = "192.0.2.1";
    private static final String HUB_B = "192.0.2.11";
    private static final String PEER_A = "192.0.2.2";
    private static final String PEER_B = "192.0.2.3";
    private static final String HUB_LAN = "10.1.0.1";
    private static final String A_LAN = "10.2.0.1";
    private static final String B_LAN = "10.3.0.1";
    private static final String IKE = "aes128-sha256-modp2048!";
    private static final String ESP = "aes128gcm16!";
    /** "IP 192.0.2.11.500 > 192.0.2.3.500: isakmp..." or "IP 192.0.2.11 > 192.0.2.3: ESP(...)" in tcpdump -nn. */
    private static final Pattern PACKET = Pattern.compile(
            "IP (\\d+\\.\\d+\\.\\d+\\.\\d+)(?:\\.(\\d+))? > (\\d+\\.\\d+\\.\\d+\\.\\d+)(?:\\.(\\d+))?: (.*)");

    private final String prefix = RunPrefix.next();
    private final List<Netns> created = new ArrayList<>();

    @BeforeAll
    static void needsRootAndTools() {
        LabRequirements.root();
        LabRequirements.tools("ip", "ping", "tcpdump", "ss");
    }

    @AfterEach
    void removeNamespaces() {
        for (int i = created.size() - 1; i >= 0; i--) created.get(i).delete();
        created.clear();
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    private Netns namespace(String suffix) {
        Netns ns = Netns.create(prefix + suffix);
        created.add(ns);
        return ns;
    }

    /** A veth from ns (named dev) to a port of the switch's bridge. */
    private static void cable(Netns ns, String dev, Netns sw, String port) {
        Commands.run(Duration.ofSeconds(10), "ip", "link", "add", dev, "netns", ns.name(), "type", "veth",
                "peer", "name", port, "netns", sw.name()).orThrow();
        sw.ip("link", "set", port, "master", "br0");
        sw.ip("link", "set", port, "up");
        ns.ip("link", "set", dev, "up");
    }

    /** The hub's, a's and b's namespaces (the switch's is only cabled to). */
    private record Lab(Netns hub, Netns a, Netns b) {
    }

    /** The switch, the hub with both addresses (192.0.2.1 the primary), a and b, each LAN host on lo. */
    private Lab lab() {
        Netns sw = namespace("s");
        Netns hubNs = namespace("h");
        Netns aNs = namespace("a");
        Netns bNs = namespace("b");
        sw.ip("link", "add", "br0", "type", "bridge");
        sw.ip("link", "set", "br0", "up");
        cable(hubNs, "hv", sw, "sh");
        cable(aNs, "av", sw, "sa");
        cable(bNs, "bv", sw, "sb");
        hubNs.ip("addr", "add", HUB_A + "/24", "dev", "hv");
        hubNs.ip("addr", "add", HUB_B + "/24", "dev", "hv"); // secondary: never the kernel's choice of source
        aNs.ip("addr", "add", PEER_A + "/24", "dev", "av");
        bNs.ip("addr", "add", PEER_B + "/24", "dev", "bv");
        hubNs.ip("addr", "add", HUB_LAN + "/32", "dev", "lo");
        aNs.ip("addr", "add", A_LAN + "/32", "dev", "lo");
        bNs.ip("addr", "add", B_LAN + "/32", "dev", "lo");
        assertThat(hubNs.ip("-4", "route", "get", PEER_B).stdout()).as("the kernel's own pick").contains("src " + HUB_A);
        return new Lab(hubNs, aNs, bNs);
    }

    private static Path hubSecrets(Path dir) throws Exception {
        return Files.writeString(dir.resolve("ipsec.secrets"),
                "hub.example a.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n"
                        + "hub.example b.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
    }

    private static Conn hubConn(String name, String left, String right, String peerId, String peerLan, String auto) {
        return Conn.named(name).set("left", left).set("leftid", "hub.example").set("leftsubnet", "10.1.0.0/24")
                .set("right", right).set("rightid", peerId).set("rightsubnet", peerLan)
                .set("ike", IKE).set("esp", ESP).set("auto", auto);
    }

    private static Conn peerConn(String left, String id, String lan, String auto, String hubAddress) {
        return Conn.named("s2s").set("left", left).set("leftid", id).set("leftsubnet", lan)
                .set("right", hubAddress).set("rightid", "hub.example").set("rightsubnet", "10.1.0.0/24")
                .set("ike", IKE).set("esp", ESP).set("auto", auto);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tunnel(CausewayProcess hub, String name) throws Exception {
        Map<String, Object> status = hub.control(Map.of("cmd", "status"));
        for (Map<String, Object> t : (List<Map<String, Object>>) status.get("tunnels")) {
            if (name.equals(t.get("name"))) return t;
        }
        return Map.of();
    }

    private static Map<String, Object> awaitConnected(String name, CausewayProcess hub) {
        return awaitConnected(name, hub, DEADLINE);
    }

    private static Map<String, Object> awaitConnected(String name, CausewayProcess hub, Duration deadline) {
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        boolean up = Poll.until(deadline, Duration.ofMillis(100), () -> {
            try {
                seen.set(tunnel(hub, name));
                return "CONNECTED".equals(seen.get().get("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(up).as("hub's %s CONNECTED; last %s%n--- hub log ---%n%s", name, seen.get(), hub.log()).isTrue();
        return seen.get();
    }

    @Test
    void eachPeerReachesTheHubOnItsOwnAddressAndTheReloadOpensTheSecond() throws Exception {
        Lab lab = lab();
        Netns hubNs = lab.hub();
        Netns aNs = lab.a();
        Netns bNs = lab.b();

        Path dir = Files.createDirectories(RunPrefix.workDir(prefix, "hub"));
        Path config = dir.resolve("ipsec.conf");
        Path secrets = hubSecrets(dir);
        Conn toA = hubConn("to-a", HUB_A, PEER_A, "a.example", "10.2.0.0/24", "add");
        Conn toB = hubConn("to-b", HUB_B, PEER_B, "b.example", "10.3.0.0/24", "start");
        Files.writeString(config, toA.text());
        Path socket = dir.resolve("control.sock");
        Path pcap = dir.resolve("hub.pcap");
        try (CausewayProcess hub = CausewayProcess.startDaemon(hubNs, CausewayLauncher.locate(), config, secrets,
                    socket.toString(), dir.resolve("daemon.log"), DEADLINE);
                LabGateway b = LabGateway.start(bNs, prefix, peerConn(PEER_B, "b.example", "10.3.0.0/24", "add", HUB_B));
                LabGateway a = LabGateway.start(aNs, prefix, peerConn(PEER_A, "a.example", "10.2.0.0/24", "start", HUB_A))) {
            Map<String, Object> aUp = awaitConnected("to-a", hub);
            assertThat(aUp).containsEntry("local", HUB_A).containsEntry("remote", PEER_A);
            assertThat(a.awaitState("CONNECTED")).containsEntry("remote", HUB_A);
            assertThat(sockets(hubNs)).as("only the first connection's address is bound yet")
                    .contains(HUB_A + ":500", HUB_A + ":4500").doesNotContain(HUB_B + ":");
            String aSpi = (String) LabGateway.children(aUp).get(0).get("spi_in");

            try (Tshark.Capture capture = Tshark.capture(hubNs, "hv", pcap, 10_000,
                    "ip and (host " + PEER_A + " or host " + PEER_B + ")")) {
                Files.writeString(config, toA.text() + toB.text());
                Map<String, Object> reload = hub.control(Map.of("cmd", "reload"));
                assertThat(reload).as("%s%n%s", reload, hub.log()).containsEntry("ok", true)
                        .containsEntry("added", List.of("to-b")).containsEntry("unchanged", List.of("to-a"));
                assertThat(sockets(hubNs)).contains(HUB_B + ":500", HUB_B + ":4500", HUB_A + ":500");

                Map<String, Object> bUp = awaitConnected("to-b", hub);
                assertThat(bUp).containsEntry("local", HUB_B).containsEntry("remote", PEER_B);
                assertThat(b.awaitState("CONNECTED")).containsEntry("remote", HUB_B).containsEntry("local", PEER_B);

                // traffic both ways through each tunnel
                assertThat(Ping.awaitReply(hubNs, HUB_LAN, B_LAN, DEADLINE)).as(hub.log()).isTrue();
                assertThat(Ping.run(hubNs, HUB_LAN, A_LAN, 3).allReceived()).as(hub.log()).isTrue();
                assertThat(Ping.run(hubNs, HUB_LAN, B_LAN, 3).allReceived()).as(hub.log()).isTrue();
                assertThat(Ping.run(aNs, A_LAN, HUB_LAN, 3).allReceived()).as(a.log()).isTrue();
                assertThat(Ping.run(bNs, B_LAN, HUB_LAN, 3).allReceived()).as(b.log()).isTrue();
                capture.finish(Duration.ofMillis(500));
            }

            Map<String, Object> aNow = tunnel(hub, "to-a");
            assertThat(aNow).containsEntry("state", "CONNECTED").containsEntry("local", HUB_A);
            assertThat(LabGateway.children(aNow)).as("the reload did not touch a's tunnel")
                    .anyMatch(c -> aSpi.equals(c.get("spi_in")));

            // every packet between the hub and a peer used that peer's hub address, IKE and ESP alike
            List<String[]> packets = packets(pcap);
            assertThat(packets).as("IKE from the hub to b").anyMatch(p -> p[0].equals(HUB_B) && p[1].equals("500")
                    && p[2].equals(PEER_B) && p[4].contains("isakmp"));
            assertThat(packets).as("ESP from the hub to b").anyMatch(p -> p[0].equals(HUB_B) && p[2].equals(PEER_B)
                    && p[4].startsWith("ESP"));
            assertThat(packets).as("ESP from the hub to a").anyMatch(p -> p[0].equals(HUB_A) && p[2].equals(PEER_A)
                    && p[4].startsWith("ESP"));
            assertThat(packets).allSatisfy(p -> {
                String hubSide = p[0].equals(PEER_A) || p[0].equals(PEER_B) ? p[2] : p[0];
                String peerSide = hubSide.equals(p[0]) ? p[2] : p[0];
                assertThat(hubSide).as("%s", String.join(" ", p)).isEqualTo(peerSide.equals(PEER_A) ? HUB_A : HUB_B);
            });
            assertThat(Pcap.readEsp(pcap)).isNotEmpty().allSatisfy(e -> {
                InetAddress hubSide = e.source().getHostAddress().startsWith("192.0.2.1") ? e.source() : e.destination();
                InetAddress peer = hubSide.equals(e.source()) ? e.destination() : e.source();
                assertThat(hubSide.getHostAddress()).as("%s", e)
                        .isEqualTo(peer.getHostAddress().equals(PEER_A) ? HUB_A : HUB_B);
            });
            assertThat(hub.log()).contains("IKE also on " + HUB_B).doesNotContain("ERROR");

            // a connection on an address this host lacks: the reload changes nothing, both tunnels stay
            Conn elsewhere = hubConn("to-c", "192.0.2.99", "192.0.2.4", "c.example", "10.4.0.0/24", "add");
            Files.writeString(config, toA.text() + toB.text() + elsewhere.text());
            Map<String, Object> refused = hub.control(Map.of("cmd", "reload"));
            assertThat(refused).containsEntry("ok", false);
            assertThat((String) refused.get("error")).contains("192.0.2.99", "still running the previous configuration");
            assertThat(tunnel(hub, "to-c")).as("not added").isEmpty();
            assertThat(tunnel(hub, "to-a")).containsEntry("state", "CONNECTED");
            assertThat(tunnel(hub, "to-b")).containsEntry("state", "CONNECTED");
            assertThat(Ping.run(hubNs, HUB_LAN, B_LAN, 1).allReceived()).isTrue();
        } finally {
            LabGateway.deleteRecursively(dir);
        }
    }

    /**
     * The same hub against two strongSwan charons (kernel-libipsec, so ESP always goes in UDP on port 4500): a
     * initiates to 192.0.2.1, and the hub initiates (auto=start) from 192.0.2.11 to b, whose connection accepts
     * nothing but 192.0.2.11. Both connections are in the hub's configuration from the start.
     */
    @Test
    void twoStrongSwanPeersEachOnItsOwnHubAddress() throws Exception {
        LabRequirements.tools("charon");
        Lab lab = lab();
        Path dir = Files.createDirectories(RunPrefix.workDir(prefix, "hub"));
        Path config = dir.resolve("ipsec.conf");
        Path secrets = hubSecrets(dir);
        Files.writeString(config, hubConn("to-a", HUB_A, PEER_A, "a.example", "10.2.0.0/24", "add").text()
                + hubConn("to-b", HUB_B, PEER_B, "b.example", "10.3.0.0/24", "start").text());
        Path socket = dir.resolve("control.sock");
        Path pcap = dir.resolve("hub.pcap");
        try (Tshark.Capture capture = Tshark.capture(lab.hub(), "hv", pcap, 10_000,
                    "ip and (host " + PEER_A + " or host " + PEER_B + ")");
                StrongSwan b = StrongSwan.startAndLoad(lab.b(), swanctl(PEER_B, HUB_B, "b.example", "10.3.0.0/24"));
                StrongSwan a = StrongSwan.startAndLoad(lab.a(), swanctl(PEER_A, HUB_A, "a.example", "10.2.0.0/24"));
                CausewayProcess hub = CausewayProcess.startDaemon(lab.hub(), CausewayLauncher.locate(), config,
                        secrets, socket.toString(), dir.resolve("daemon.log"), SWAN_DEADLINE)) {
            ExecResult initiated = a.initiate("lan");
            assertThat(initiated.ok()).as("a initiates%n%s%n--- a ---%n%s%n--- hub ---%n%s",
                    initiated.describe(), a.log(), hub.log()).isTrue();

            assertThat(awaitConnected("to-a", hub, SWAN_DEADLINE))
                    .containsEntry("local", HUB_A).containsEntry("remote", PEER_A);
            assertThat(awaitConnected("to-b", hub, SWAN_DEADLINE))
                    .containsEntry("local", HUB_B).containsEntry("remote", PEER_B);
            assertEstablished(a, "a.example", PEER_A, HUB_A, true, hub);
            assertEstablished(b, "b.example", PEER_B, HUB_B, false, hub);

            // traffic both ways through each tunnel
            assertPing(lab.a(), A_LAN, HUB_LAN, hub, a);
            assertPing(lab.hub(), HUB_LAN, A_LAN, hub, a);
            assertPing(lab.hub(), HUB_LAN, B_LAN, hub, b);
            assertPing(lab.b(), B_LAN, HUB_LAN, hub, b);
            capture.finish(Duration.ofMillis(500));

            // every packet between the hub and a peer used that peer's hub address, IKE and ESP-in-UDP alike
            List<String[]> packets = packets(pcap);
            assertThat(packets).as("IKE from the hub to b").anyMatch(p -> p[0].equals(HUB_B) && p[1].equals("500")
                    && p[2].equals(PEER_B) && p[4].contains("isakmp"));
            assertThat(packets).allSatisfy(p -> {
                String hubSide = p[0].equals(PEER_A) || p[0].equals(PEER_B) ? p[2] : p[0];
                String peerSide = hubSide.equals(p[0]) ? p[2] : p[0];
                assertThat(hubSide).as("%s", String.join(" ", p)).isEqualTo(peerSide.equals(PEER_A) ? HUB_A : HUB_B);
            });
            List<Pcap.Esp> esp = Pcap.readEsp(pcap);
            for (String[] pair : List.of(new String[] {HUB_A, PEER_A}, new String[] {HUB_B, PEER_B})) {
                assertThat(esp).as("ESP in UDP 4500 from %s to %s", pair[0], pair[1]).anyMatch(e ->
                        e.source().getHostAddress().equals(pair[0]) && e.destination().getHostAddress().equals(pair[1])
                                && e.sourcePort() == 4500 && e.destinationPort() == 4500);
                assertThat(esp).as("ESP in UDP 4500 from %s to %s", pair[1], pair[0]).anyMatch(e ->
                        e.source().getHostAddress().equals(pair[1]) && e.destination().getHostAddress().equals(pair[0])
                                && e.sourcePort() == 4500 && e.destinationPort() == 4500);
            }
            assertThat(hub.log()).doesNotContain("ERROR");
        } finally {
            LabGateway.deleteRecursively(dir);
        }
    }

    /**
     * A strongSwan peer of the hub: connection "hub" from its address to the hub address it knows, child "lan"
     * from its LAN to the hub's, initiated by hand or by the hub.
     */
    private static String swanctl(String self, String hubAddress, String id, String lan) {
        return SwanctlConf.builder().connection("hub").child("lan").localAddrs(self).remoteAddrs(hubAddress)
                .localId(id).remoteId("hub.example").localTs(lan).remoteTs("10.1.0.0/24")
                .proposals("aes128-sha256-modp2048").espProposals("aes128gcm16").startAction("none").build();
    }

    /**
     * strongSwan lists an ESTABLISHED IKE SA "hub" between these two addresses, which it initiated or the hub did
     * (the '*' marks its own SPI), with its child INSTALLED.
     */
    private static void assertEstablished(StrongSwan swan, String id, String self, String hubAddress,
            boolean initiator, CausewayProcess hub) {
        Pattern sa = Pattern.compile("(?m)^hub: #\\d+, ESTABLISHED, IKEv2, "
                + (initiator ? "[0-9a-f]+_i\\* [0-9a-f]+_r\n" : "[0-9a-f]+_i [0-9a-f]+_r\\*\n")
                + "\\s+local\\s+'" + Pattern.quote(id) + "' @ " + Pattern.quote(self) + "\\[\\d+\\]\n"
                + "\\s+remote\\s+'hub\\.example' @ " + Pattern.quote(hubAddress) + "\\[\\d+\\]\n");
        AtomicReference<String> listed = new AtomicReference<>("");
        boolean up = Poll.until(SWAN_DEADLINE, Duration.ofMillis(200), () -> {
            listed.set(swan.listSas());
            return SwanSas.parse(listed.get()).established("lan") && sa.matcher(listed.get()).find();
        });
        assertThat(up).as("%s: IKE SA %s <-> %s initiated by %s%n%s%n--- %s ---%n%s%n--- hub ---%n%s",
                swan.netns().name(), self, hubAddress, initiator ? "it" : "the hub", listed.get(), id, swan.log(),
                hub.log()).isTrue();
    }

    private static void assertPing(Netns from, String source, String destination, CausewayProcess hub,
            StrongSwan swan) {
        assertThat(Ping.awaitReply(from, source, destination, SWAN_DEADLINE))
                .as("first reply %s -> %s%n--- hub ---%n%s%n--- strongSwan ---%n%s", source, destination, hub.log(),
                        swan.log()).isTrue();
        Ping.Result ping = Ping.run(from, source, destination, 3, Duration.ofMillis(200), Duration.ofSeconds(10));
        assertThat(ping.allReceived()).as("%s -> %s: %s", source, destination, ping).isTrue();
    }

    /** Local address:port of every UDP socket in the namespace ({@code ss -uan}). */
    private static String sockets(Netns ns) {
        ExecResult ss = ns.exec(Duration.ofSeconds(10), "ss", "-uan");
        assertThat(ss.ok()).as(ss.describe()).isTrue();
        return ss.stdout();
    }

    /** Source, source port, destination, destination port (empty without ports) and the rest, per IP packet. */
    private static List<String[]> packets(Path pcap) {
        ExecResult read = Commands.run(Duration.ofSeconds(30), "tcpdump", "-nn", "-r", pcap.toString());
        assertThat(read.ok()).as(read.describe()).isTrue();
        List<String[]> out = new ArrayList<>();
        for (String line : read.stdout().split("\n")) {
            Matcher m = PACKET.matcher(line);
            if (m.find()) {
                out.add(new String[] {m.group(1), m.group(2) == null ? "" : m.group(2), m.group(3),
                        m.group(4) == null ? "" : m.group(4), m.group(5)});
            }
        }
        assertThat(out).as("packets in %s", read.stdout()).isNotEmpty();
        return out;
    }
}
