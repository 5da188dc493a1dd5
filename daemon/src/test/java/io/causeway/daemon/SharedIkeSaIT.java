package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several subnet pairs to one peer against strongSwan 5.9.8 (kernel-libipsec): Causeway holds one conn per pair with
 * the same peer, ids and proposals, which strongSwan runs as children of one IKE SA; a peer that gives each pair
 * its own IKE SA must work too. Every pair passes ping both ways.
 */
class SharedIkeSaIT extends StrongSwanTestBase {
    /** Name, west (Causeway) subnet, east (strongSwan) subnet of each pair; the first is the topology's own. */
    private static final List<Pair> PAIRS = List.of(
            new Pair("a", Topology.WEST_SUBNET_V4, Topology.EAST_SUBNET_V4),
            new Pair("b", "10.1.5.0/24", "10.2.5.0/24"),
            new Pair("c", "10.1.6.0/24", "10.2.6.0/24"));

    /** Seed 003's shape: three SPD policies to one peer, one with two peer ranges, two sharing a peer range. */
    private static final List<Pair> SEED_003 = List.of(
            new Pair("p1", "10.0.0.0/24", "192.168.0.0/24,192.168.1.0/24"),
            new Pair("p2", "10.0.1.0/24", "192.168.2.0/24"),
            new Pair("p3", "10.0.2.0/24", "192.168.2.0/24"));

    private record Pair(String name, String west, String east) {
        /** The .1 host of each subnet of a list, e.g. 10.2.5.1 for 10.2.5.0/24. */
        static List<String> hosts(String subnets) {
            List<String> out = new ArrayList<>();
            for (String s : subnets.split(",")) {
                out.add(s.substring(0, s.lastIndexOf('.')) + ".1");
            }
            return out;
        }
    }

    @Test
    void strongSwanWithThreeChildrenInitiatesOneIkeSaAndEveryPairPasses() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addHosts(t, PAIRS);
            try (LabGateway west = LabGateway.start(t.west(), prefix, causewayConns(t, PAIRS, "add"));
                    StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, PAIRS, "none", true))) {
                for (Pair p : PAIRS) {
                    assertThat(east.initiate(p.name).ok()).as("initiate %s%n%s%n%s", p.name, east.log(), west.log()).isTrue();
                }
                assertOneIkeSaEverywhere(west, east, PAIRS);
                pingEveryPair(t, PAIRS, west, east);
            }
        }
    }

    @Test
    void causewayWithThreeConnsNegotiatesOneIkeSaThatUniqueIdsLeaveAlone() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addHosts(t, PAIRS);
            // unique=replace is ipsec.conf's uniqueids=yes: a second IKE SA with the same ids would replace the first
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, PAIRS, "none", true));
                    LabGateway west = LabGateway.start(t.west(), prefix, causewayConns(t, PAIRS, "start"))) {
                assertOneIkeSaEverywhere(west, east, PAIRS);
                pingEveryPair(t, PAIRS, west, east);
                assertThat(east.log()).doesNotContain("deleting duplicate IKE_SA");
                assertOneIkeSaEverywhere(west, east, PAIRS);
            }
        }
    }

    @Test
    void strongSwanWithAnIkeSaPerPairGetsThemAllAnswered() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addHosts(t, PAIRS);
            try (LabGateway west = LabGateway.start(t.west(), prefix, causewayConns(t, PAIRS, "add"));
                    StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, PAIRS, "none", false))) {
                for (Pair p : PAIRS) {
                    assertThat(east.initiate(p.name).ok()).as("initiate %s%n%s%n%s", p.name, east.log(), west.log()).isTrue();
                }
                List<Object> spis = new ArrayList<>();
                for (Pair p : PAIRS) {
                    Map<String, Object> up = west.awaitState(p.name, "CONNECTED");
                    assertThat(children(up)).singleElement().satisfies(c -> {
                        assertThat(c.get("local_ts")).isEqualTo(List.of(p.west));
                        assertThat(c.get("remote_ts")).isEqualTo(List.of(p.east));
                    });
                    spis.add(ike(up).get("spi_i"));
                }
                assertThat(spis).doesNotHaveDuplicates();
                assertThat(SwanSas.parse(east.listSas()).ikeSas()).hasSize(3);
                pingEveryPair(t, PAIRS, west, east);
            }
        }
    }

    @Test
    void seed003PoliciesToOnePeerAllPing() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addHosts(t, SEED_003);
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, SEED_003, "none", true));
                    LabGateway west = LabGateway.start(t.west(), prefix, causewayConns(t, SEED_003, "start"))) {
                assertOneIkeSaEverywhere(west, east, SEED_003);
                pingEveryPair(t, SEED_003, west, east);
            }
        }
    }

    @Test
    void aReloadAddsAConnectionWhoseChildSaJoinsTheLiveIkeSa() throws Exception {
        List<Pair> both = PAIRS.subList(0, 2);
        try (Topology t = Topology.create(prefix, false)) {
            addHosts(t, both);
            // strongSwan holds what `causeway export a` prints for the configuration after the reload: one
            // connection with a child for a and one for b, since they share the IKE SA
            String swanctl = exportFor(t, both);
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl);
                    LabGateway west = LabGateway.start(t.west(), prefix, causewayConns(t, PAIRS.subList(0, 1), "start"))) {
                Map<String, Object> a = west.awaitState("a", "CONNECTED");
                Object spiIn = children(a).get(0).get("spi_in");

                StringBuilder conf = new StringBuilder();
                causewayConns(t, both, "start").forEach(c -> conf.append(c.text()));
                Files.writeString(west.workDir().resolve("ipsec.conf"), conf);
                ExecResult reload = west.reload();
                assertThat(reload.ok()).as(reload.describe()).isTrue();

                Map<String, Object> b = west.awaitState("b", "CONNECTED");
                assertThat(ike(b).get("spi_i")).as("b's CHILD_SA is on a's IKE SA").isEqualTo(ike(west.tunnel("a")).get("spi_i"));
                assertThat(children(west.tunnel("a")).get(0).get("spi_in")).as("a untouched").isEqualTo(spiIn);
                assertOneIkeSaEverywhere(west, east, both);
                pingEveryPair(t, both, west, east);
            }
        }
    }

    /**
     * A dead peer takes every connection of the IKE SA down and dpdaction=restart of each brings it back: charon is
     * killed and started again without SAs, Causeway's DPD goes unanswered (with the daemon's short retransmit
     * schedule, as IkeLifecycleIT), and all three come back on one new IKE SA.
     */
    @Test
    void aDeadPeerTakesEveryConnectionDownAndRestartBringsThemBackOnOneIkeSa() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addHosts(t, PAIRS);
            List<Conn> conns = causewayConns(t, PAIRS, "start");
            conns.forEach(c -> c.set("dpdaction", "restart").set("dpddelay", "2s"));
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, PAIRS, "none", true));
                    LabGateway west = LabGateway.start(t.west(), prefix, conns, "--retransmit-timeout", "1s",
                            "--retransmit-base", "1", "--retransmit-tries", "2")) {
                assertOneIkeSaEverywhere(west, east, PAIRS);
                Object firstIkeSpi = ike(west.tunnel("a")).get("spi_i");

                east.kill();
                try (StrongSwan again = east.restart()) {
                    for (Pair p : PAIRS) {
                        boolean back = Poll.until(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
                            try {
                                Map<String, Object> tunnel = west.tunnel(p.name);
                                return "CONNECTED".equals(tunnel.get("state"))
                                        && !firstIkeSpi.equals(ike(tunnel).get("spi_i"));
                            } catch (Exception e) {
                                return false;
                            }
                        });
                        assertThat(back).as("%s back on a new IKE SA%n%s", p.name, west.log()).isTrue();
                    }
                    assertThat(west.log()).contains("did not answer DPD (dead peer)");
                    assertOneIkeSaEverywhere(west, again, PAIRS);
                    pingEveryPair(t, PAIRS, west, again);
                }
            }
        }
    }

    /** `causeway export a --format swanctl --with-secret` of west's conns for these pairs, run as a user would. */
    private String exportFor(Topology t, List<Pair> pairs) throws Exception {
        Path dir = Files.createDirectories(RunPrefix.workDir(prefix, "export"));
        try {
            StringBuilder conf = new StringBuilder();
            causewayConns(t, pairs, "start").forEach(c -> conf.append(c.text()));
            Path config = Files.writeString(dir.resolve("ipsec.conf"), conf);
            Path secrets = Files.writeString(dir.resolve("ipsec.secrets"),
                    "west.example east.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            ExecResult r = Commands.run(DEADLINE, CausewayLauncher.locate().command("export",
                    pairs.get(0).name, "--format", "swanctl", "--with-secret", "--config", config.toString(),
                    "--secrets", secrets.toString()));
            assertThat(r.ok()).as(r.describe()).isTrue();
            assertThat(r.stdout()).contains(pairs.get(1).name + " {");
            return r.stdout();
        } finally {
            LabGateway.deleteRecursively(dir);
        }
    }

    /** One conn per pair, same peer, ids and proposals: one IKE group. */
    private static List<Conn> causewayConns(Topology t, List<Pair> pairs, String auto) {
        List<Conn> conns = new ArrayList<>();
        for (Pair p : pairs) {
            conns.add(Conn.named(p.name).set("left", t.westOuterV4()).set("leftid", "west.example")
                    .set("leftsubnet", p.west).set("right", t.eastOuterV4()).set("rightid", "east.example")
                    .set("rightsubnet", p.east).set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                    .set("auto", auto));
        }
        return conns;
    }

    /**
     * strongSwan's side: one connection with a child per pair (oneIkeSa, its usual way), or a connection per pair
     * with one child each; unique=replace as ipsec.conf's default uniqueids=yes.
     */
    private static String swanctl(Topology t, List<Pair> pairs, String startAction, boolean oneIkeSa) {
        StringBuilder out = new StringBuilder("connections {\n");
        for (int i = 0; i < (oneIkeSa ? 1 : pairs.size()); i++) {
            out.append("  ").append(oneIkeSa ? "peer" : "peer-" + pairs.get(i).name).append(" {\n")
                    .append("    version = 2\n    local_addrs = ").append(t.eastOuterV4()).append('\n')
                    .append("    remote_addrs = ").append(t.westOuterV4()).append('\n')
                    .append("    proposals = aes128-sha256-ecp256\n    unique = replace\n")
                    // charon puts children of equal peer configs on one IKE SA whatever their names: a rekey time
                    // apart keeps the per-pair connections apart (and is nothing Causeway groups by)
                    .append("    rekey_time = ").append(240 + i).append("m\n")
                    .append("    local {\n      auth = psk\n      id = east.example\n    }\n")
                    .append("    remote {\n      auth = psk\n      id = west.example\n    }\n")
                    .append("    children {\n");
            for (Pair p : oneIkeSa ? pairs : List.of(pairs.get(i))) {
                out.append("      ").append(p.name).append(" {\n")
                        .append("        local_ts = ").append(p.east).append('\n')
                        .append("        remote_ts = ").append(p.west).append('\n')
                        .append("        esp_proposals = aes128gcm16\n")
                        .append("        start_action = ").append(startAction).append('\n')
                        .append("      }\n");
            }
            out.append("    }\n  }\n");
        }
        out.append("}\nsecrets {\n  ike-lab {\n    id-local = east.example\n    id-remote = west.example\n")
                .append("    secret = \"").append(SwanctlConf.LAB_PSK).append("\"\n  }\n}\n");
        return out.toString();
    }

    private static void addHosts(Topology t, List<Pair> pairs) {
        for (Pair p : pairs) {
            addIfAbsent(t.west(), Pair.hosts(p.west), Topology.WEST_HOST_V4);
            addIfAbsent(t.east(), Pair.hosts(p.east), Topology.EAST_HOST_V4);
        }
    }

    private static void addIfAbsent(Netns ns, List<String> hosts, String existing) {
        for (String host : hosts) {
            if (!host.equals(existing) && !ns.ip("-4", "addr", "show", "dev", "lo").stdout().contains(" " + host + "/")) {
                ns.ip("addr", "add", host + "/32", "dev", "lo");
            }
        }
    }

    /** Every pair CONNECTED with its own CHILD_SA, all on one IKE SA at Causeway and at strongSwan. */
    private static void assertOneIkeSaEverywhere(LabGateway west, StrongSwan east, List<Pair> pairs) throws Exception {
        for (Pair p : pairs) {
            west.awaitState(p.name, "CONNECTED");
        }
        List<Object> spis = new ArrayList<>();
        for (Pair p : pairs) {
            Map<String, Object> up = west.tunnel(p.name);
            assertThat(children(up)).as("%s%n%s", up, west.log()).singleElement().satisfies(c -> {
                assertThat(c.get("local_ts")).isEqualTo(List.of(p.west.split(",")));
                assertThat(c.get("remote_ts")).isEqualTo(List.of(p.east.split(",")));
            });
            spis.add(ike(up).get("spi_i"));
            assertThat((List<?>) ike(up).get("shared_with")).hasSize(pairs.size() - 1);
        }
        assertThat(spis).as("one IKE SA at Causeway").containsOnly(spis.get(0));
        boolean allChildren = Poll.until(DEADLINE, Duration.ofMillis(200), () -> {
            SwanSas sas = SwanSas.parse(east.listSas());
            return sas.ikeSas().size() == 1 && sas.ikeSas().get(0).children().size() == pairs.size();
        });
        assertThat(allChildren).as("one IKE SA with %d children at strongSwan:%n%s", pairs.size(), east.listSas()).isTrue();
    }

    /** Two pings from each host on one side to each host of the pair on the other, both ways. */
    private static void pingEveryPair(Topology t, List<Pair> pairs, LabGateway causeway, StrongSwan swan) {
        for (Pair p : pairs) {
            for (String w : Pair.hosts(p.west)) {
                for (String e : Pair.hosts(p.east)) {
                    assertPing(t.west(), w, e, causeway, swan);
                    assertPing(t.east(), e, w, causeway, swan);
                }
            }
        }
    }

    private static void assertPing(Netns from, String source, String destination, LabGateway causeway, StrongSwan swan) {
        assertThat(Ping.awaitReply(from, source, destination, DEADLINE))
                .as("first reply %s -> %s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", source, destination,
                        causeway.log(), swan.log()).isTrue();
        Ping.Result ping = Ping.run(from, source, destination, 2);
        assertThat(ping.allReceived()).as("%s -> %s: %s", source, destination, ping).isTrue();
    }
}
