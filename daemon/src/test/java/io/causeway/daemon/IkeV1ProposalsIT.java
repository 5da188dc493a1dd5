package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * IKEv1 proposals against strongSwan 5.9.8 in namespaces: seed 003's algorithm matrix (Tencent Cloud's VPN
 * gateway: phase 1 des/3des/aes128/aes192/aes256 x md5/sha1 x DH groups 1, 2, 5, 14, 24; phase 2 the same ciphers and
 * hashes with PFS off or one of those groups; lifetimes in seconds and kilobytes).
 */
class IkeV1ProposalsIT extends StrongSwanTestBase {
    static final List<String> CIPHERS = List.of("des", "3des", "aes128", "aes192", "aes256");
    static final List<String> HASHES = List.of("md5", "sha1");
    static final List<String> GROUPS = List.of("modp768", "modp1024", "modp1536", "modp2048", "modp2048s256");

    /** One phase-1 combination and the phase 2 it is tried with. */
    record Combo(int index, String cipher, String hash, String group, String espCipher, String espHash, String pfs) {
        String name() {
            return "m" + index;
        }

        String ike() {
            return cipher + "-" + hash + "-" + group;
        }

        String espSuite() {
            return espCipher + "-" + espHash;
        }

        String esp() {
            return pfs.isEmpty() ? espSuite() : espSuite() + "-" + pfs;
        }

        /** lifetime= of the combination, in seconds, different for each. */
        long lifetimeSeconds() {
            return 1800 + index;
        }

        /** lifebytes= of the combination, a whole number of kilobytes (RFC 2407 4.5: 1 KB = 1000 bytes). */
        long lifeKilobytes() {
            return 100_000 + index;
        }

        /** Our host in this combination's own /32 of west's subnet (the connections' selectors must not overlap). */
        String westHost() {
            return "10.1.0." + (100 + index);
        }

        /** strongSwan's names in --list-sas, e.g. AES_CBC-128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048. */
        String swanIke() {
            return swanCipher(cipher) + "/" + swanIntegrity(hash) + "/PRF_HMAC_" + hash.toUpperCase() + "/" + swanGroup(group);
        }

        String swanEsp() {
            return "ESP:" + swanCipher(espCipher) + "/" + swanIntegrity(espHash) + (pfs.isEmpty() ? "" : "/" + swanGroup(pfs));
        }
    }

    /**
     * Every phase-1 combination once; phase 2 walks through the ciphers and hashes (each pair five times), first
     * without PFS and then with the groups in turn, so that each ESP pair is tried with PFS off and on and every group
     * serves as PFS group.
     */
    static List<Combo> matrix() {
        List<Combo> combos = new ArrayList<>();
        int i = 0;
        for (String cipher : CIPHERS) {
            for (String hash : HASHES) {
                for (String group : GROUPS) {
                    // ESP pair i % 10; the first ten without PFS, then the groups in turn
                    int pair = i % 10;
                    int round = i / 10;
                    String pfs = round == 0 ? "" : GROUPS.get((round - 1 + pair) % GROUPS.size());
                    combos.add(new Combo(i, cipher, hash, group, CIPHERS.get(pair % 5), HASHES.get(pair / 5), pfs));
                    i++;
                }
            }
        }
        return combos;
    }

    static String swanCipher(String cipher) {
        return switch (cipher) {
            case "des" -> "DES_CBC";
            case "3des" -> "3DES_CBC";
            default -> "AES_CBC-" + cipher.substring(3);
        };
    }

    static String swanIntegrity(String hash) {
        return hash.equals("md5") ? "HMAC_MD5_96" : "HMAC_SHA1_96";
    }

    static String swanGroup(String group) {
        return switch (group) {
            case "modp768" -> "MODP_768";
            case "modp1024" -> "MODP_1024";
            case "modp1536" -> "MODP_1536";
            case "modp2048" -> "MODP_2048";
            default -> "MODP_2048_256";
        };
    }

    /** One strongSwan proposal holding every cipher, hash and group of the matrix. */
    static String allOf(List<String> groups) {
        return String.join("-", CIPHERS) + "-" + String.join("-", HASHES) + (groups.isEmpty() ? "" : "-" + String.join("-", groups));
    }

    @Test
    void matrixCoversEveryEspPairWithAndWithoutPfsAndEveryPfsGroup() {
        List<Combo> combos = matrix();
        assertThat(combos).hasSize(50);
        Set<String> seen = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (Combo c : combos) {
            seen.add(c.espSuite() + (c.pfs().isEmpty() ? " no PFS" : " PFS"));
            groups.add(c.pfs());
        }
        assertThat(seen).hasSize(20);
        List<String> expected = new ArrayList<>(GROUPS);
        expected.add("");
        assertThat(groups).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** West's connection for one combination: its own host on west's side, the strict proposals of the combination. */
    private static Conn comboConn(Combo c) {
        return Conn.named(c.name()).set("keyexchange", "ikev1")
                .set("left", Topology.WEST_PUBLIC_V4).set("leftid", "west.example")
                .set("leftsubnet", c.westHost() + "/32")
                .set("right", Topology.EAST_PUBLIC_V4).set("rightid", "east.example")
                .set("rightsubnet", Topology.EAST_SUBNET_V4)
                .set("ike", c.ike() + "!").set("esp", c.esp() + "!");
    }

    /**
     * Causeway initiates each of the 50 phase-1 combinations with a strict ike=...! (one connection each, brought up
     * and down in turn over the control socket) against one strongSwan responder that accepts the whole matrix;
     * each must be CONNECTED with exactly that proposal on both sides. Lifetimes go in both units: ikelifetime and
     * lifetime in seconds, lifebytes in kilobytes.
     */
    @Test
    void seed003MatrixCausewayInitiatingEachCombination() throws Exception {
        List<Combo> combos = matrix();
        List<Conn> conns = new ArrayList<>();
        for (Combo c : combos) {
            conns.add(comboConn(c)
                    .set("ikelifetime", (3600 + c.index()) + "s").set("lifetime", c.lifetimeSeconds() + "s")
                    .set("lifebytes", Long.toString(c.lifeKilobytes() * 1000))
                    .set("auto", "add"));
        }
        // pinged: each phase-2 cipher once, with and without PFS
        Set<Integer> pinged = Set.of(0, 6, 12, 13, 19, 49);
        try (Topology t = Topology.create(prefix, false)) {
            for (int i : pinged) {
                t.west().ip("addr", "add", combos.get(i).westHost() + "/32", "dev", "lo");
            }
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).version(1)
                            .proposals(allOf(GROUPS)).espProposals(allOf(GROUPS) + "," + allOf(List.of()))
                            .build());
                    LabGateway west = LabGateway.start(t.west(), prefix, conns)) {
                for (Combo c : combos) {
                    Map<String, Object> answer = west.control(Map.of("cmd", "up", "name", c.name()));
                    assertThat(answer.get("ok")).as("up %s: %s", c.name(), answer).isEqualTo(true);
                    Map<String, Object> up = west.awaitState(c.name(), "CONNECTED");
                    assertThat(ike(up).get("proposal")).as(c.toString()).isEqualTo(c.ike());
                    assertThat(children(up)).as(c.toString()).singleElement()
                            .satisfies(child -> assertThat(child.get("proposal")).isEqualTo(c.espSuite()));
                    boolean swanAgrees = Poll.until(DEADLINE, () -> {
                        String listed = east.listSas();
                        return listed.contains(c.swanIke() + "\n") && listed.contains(c.swanEsp() + "\n");
                    });
                    assertThat(swanAgrees).as("%s: strongSwan lists %s and %s:%n%s", c, c.swanIke(), c.swanEsp(),
                            east.listSas()).isTrue();
                    if (pinged.contains(c.index())) {
                        assertThat(Ping.awaitReply(t.west(), c.westHost(), t.eastHostV4(), DEADLINE))
                                .as("%s%n%s", c, west.log()).isTrue();
                        Ping.Result ping = Ping.run(t.west(), c.westHost(), t.eastHostV4(), 3);
                        assertThat(ping.allReceived()).as("%s: %s%n%s", c, ping, west.log()).isTrue();
                    }
                    // our quick mode carried both life types; strongSwan as responder logs them (it keeps its own)
                    assertThat(east.log()).as(c.toString()).contains("received " + c.lifetimeSeconds() + "s lifetime",
                            "received " + c.lifeKilobytes() * 1000 + " lifebytes");
                    assertThat(west.control(Map.of("cmd", "down", "name", c.name())).get("ok")).isEqualTo(true);
                    west.awaitState(c.name(), "DOWN");
                }
            }
        }
    }

    /**
     * Ten combinations for strongSwan to initiate: every phase-1 cipher x hash with the groups in turn, phase 2 with
     * another cipher and hash, PFS with each group on the even ones and none on the odd ones.
     */
    static List<Combo> responderMatrix() {
        List<Combo> combos = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            combos.add(new Combo(50 + p, CIPHERS.get(p % 5), HASHES.get(p / 5), GROUPS.get((p + p / 5) % 5),
                    CIPHERS.get((p + 2) % 5), HASHES.get((p + 1) % 2), p % 2 == 0 ? GROUPS.get(p / 2) : ""));
        }
        return combos;
    }

    /** strongSwan initiating to Causeway: one connection per combination, its child to that combination's /32. */
    static String swanInitiators(Topology t, List<Combo> combos) {
        StringBuilder out = new StringBuilder("connections {\n");
        for (Combo c : combos) {
            out.append("  ").append(c.name()).append(" {\n")
                    .append("    version = 1\n")
                    .append("    local_addrs = ").append(t.eastOuterV4()).append("\n")
                    .append("    remote_addrs = ").append(t.westOuterV4()).append("\n")
                    .append("    proposals = ").append(c.ike()).append("\n")
                    .append("    local {\n      auth = psk\n      id = east.example\n    }\n")
                    .append("    remote {\n      auth = psk\n      id = west.example\n    }\n")
                    .append("    children {\n      ").append(c.name()).append(" {\n")
                    .append("        local_ts = ").append(Topology.EAST_SUBNET_V4).append("\n")
                    .append("        remote_ts = ").append(c.westHost()).append("/32\n")
                    .append("        esp_proposals = ").append(c.esp()).append("\n")
                    .append("        life_time = ").append(c.lifetimeSeconds()).append("s\n")
                    .append("        rekey_time = ").append(c.lifetimeSeconds() - 600).append("s\n")
                    .append("      }\n    }\n  }\n");
        }
        out.append("}\nsecrets {\n  ike-lab {\n    id-local = east.example\n    id-remote = west.example\n")
                .append("    secret = \"").append(SwanctlConf.LAB_PSK).append("\"\n  }\n}\n");
        return out.toString();
    }

    @Test
    void responderMatrixCoversEveryCipherAndHashAndEveryPfsGroup() {
        List<Combo> combos = responderMatrix();
        assertThat(combos).extracting(c -> c.cipher() + "-" + c.hash()).doesNotHaveDuplicates().hasSize(10);
        assertThat(combos).extracting(Combo::group).containsAll(GROUPS);
        assertThat(combos).extracting(Combo::espSuite).doesNotHaveDuplicates().hasSize(10);
        assertThat(combos).extracting(Combo::pfs).containsAll(GROUPS).contains("");
    }

    /**
     * strongSwan initiates ten combinations to one Causeway holding a connection for each (ike=...! and esp=...!
     * each, to the same peer): Causeway, the responder, must pick the connection by the offered transform in main
     * mode 1 and by the selectors in quick mode 1, and answer exactly that proposal.
     */
    @Test
    void seed003MatrixStrongSwanInitiatingToCausewayResponder() throws Exception {
        List<Combo> combos = responderMatrix();
        List<Conn> conns = new ArrayList<>();
        for (Combo c : combos) {
            conns.add(comboConn(c).set("auto", "add"));
        }
        try (Topology t = Topology.create(prefix, false)) {
            Combo pinged = combos.get(0);
            t.west().ip("addr", "add", pinged.westHost() + "/32", "dev", "lo");
            try (LabGateway west = LabGateway.start(t.west(), prefix, conns);
                    StrongSwan east = StrongSwan.startAndLoad(t.east(), swanInitiators(t, combos))) {
                for (Combo c : combos) {
                    assertThat(east.initiate(c.name()).ok()).as("%s%n%s%n--- causeway ---%n%s", c, east.log(), west.log())
                            .isTrue();
                    Map<String, Object> up = west.awaitState(c.name(), "CONNECTED");
                    assertThat(ike(up).get("proposal")).as(c.toString()).isEqualTo(c.ike());
                    assertThat(ike(up).get("initiator")).isEqualTo(false);
                    assertThat(children(up)).as(c.toString()).singleElement().satisfies(child -> {
                        assertThat(child.get("proposal")).isEqualTo(c.espSuite());
                        assertThat(child.get("local_ts")).isEqualTo(List.of(c.westHost() + "/32"));
                    });
                    String listed = east.listSas();
                    assertThat(listed).as(c.toString()).contains(c.swanIke() + "\n", c.swanEsp() + "\n");
                    if (c == pinged) {
                        assertThat(Ping.awaitReply(t.west(), c.westHost(), t.eastHostV4(), DEADLINE))
                                .as("%s%n%s", c, west.log()).isTrue();
                        assertThat(Ping.run(t.east(), t.eastHostV4(), c.westHost(), 3).allReceived()).as(c.toString())
                                .isTrue();
                    }
                    assertThat(east.swanctl("--terminate", "--ike", c.name()).ok()).isTrue();
                    west.awaitState(c.name(), "DOWN");
                }
            }
        }
    }

    private static Conn westV1(Topology t) {
        return Conn.westToEast(t).set("keyexchange", "ikev1").set("ike", "aes128-sha1-modp2048!")
                .set("esp", "aes128-sha1!").set("keyingtries", "1");
    }

    private static SwanctlConf eastV1(Topology t) {
        return SwanctlConf.eastResponder(t).version(1).proposals("aes128-sha1-modp2048").espProposals("aes128-sha1");
    }

    /** Fails the test with both logs unless the tunnel reaches state. */
    private static Map<String, Object> awaitState(LabGateway causeway, StrongSwan swan, String state) {
        try {
            return causeway.awaitState(state);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- strongSwan ---\n" + swan.log(), e);
        }
    }

    @Test
    void phase1MismatchCausewayInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).proposals("aes256-sha1-modp2048").build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            Map<String, Object> failed = awaitState(west, east, "PHASE1_FAILED");
            assertThat((String) failed.get("last_error")).as(west.log())
                    .isEqualTo("no proposal chosen: the peer refused our phase-1 proposal (NO_PROPOSAL_CHOSEN)");
            assertThat(children(failed)).isEmpty();
            assertThat(east.log()).contains("received proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048",
                    "no proposal found");
            assertThat(east.sas().ikeSas()).isEmpty();
        }
    }

    @Test
    void phase1MismatchCausewayResponding() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("auto", "add"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).remoteAddrs(t.westOuterV4())
                        .proposals("aes256-sha1-modp2048").build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("strongSwan's initiation must fail").isFalse();
            Map<String, Object> failed = awaitState(west, east, "PHASE1_FAILED");
            assertThat((String) failed.get("last_error")).as(west.log())
                    .isEqualTo("no proposal chosen: none of the transforms " + t.eastOuterV4() + " offered is configured");
            assertThat(east.log()).contains("received NO_PROPOSAL_CHOSEN error notify");
        }
    }

    @Test
    void phase2MismatchCausewayInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).espProposals("aes256-sha256").build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            Map<String, Object> failed = awaitState(west, east, "PHASE2_FAILED");
            assertThat((String) failed.get("last_error")).as(west.log()).isEqualTo("the peer refused quick mode for "
                    + Topology.WEST_SUBNET_V4 + " === " + Topology.EAST_SUBNET_V4 + ": NO_PROPOSAL_CHOSEN");
            assertThat(children(failed)).isEmpty();
            assertThat(east.log()).contains("received proposals: ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ",
                    "no matching proposal found");
        }
    }

    @Test
    void phase2MismatchCausewayResponding() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("auto", "add"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).remoteAddrs(t.westOuterV4())
                        .espProposals("aes256-sha256").build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("strongSwan's initiation must fail").isFalse();
            Map<String, Object> failed = awaitState(west, east, "PHASE2_FAILED");
            assertThat((String) failed.get("last_error")).as(west.log())
                    .isEqualTo("none of the ESP transforms the peer offered is configured");
            assertThat(children(failed)).isEmpty();
            assertThat(east.log()).contains("received NO_PROPOSAL_CHOSEN error notify");
        }
    }

    @Test
    void selectorMismatchCausewayInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("rightsubnet", "10.9.0.0/24"))) {
            Map<String, Object> failed = awaitState(west, east, "PHASE2_FAILED");
            assertThat((String) failed.get("last_error")).as(west.log()).isEqualTo("the peer refused quick mode for "
                    + Topology.WEST_SUBNET_V4 + " === 10.9.0.0/24: INVALID_ID_INFORMATION");
            assertThat(children(failed)).isEmpty();
            assertThat(east.log()).contains("no matching CHILD_SA config found");
        }
    }

    @Test
    void selectorMismatchCausewayResponding() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("auto", "add"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).remoteAddrs(t.westOuterV4())
                        .remoteTs("10.9.0.0/24").build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("strongSwan's initiation must fail").isFalse();
            Map<String, Object> failed = awaitState(west, east, "PHASE2_FAILED");
            assertThat((String) failed.get("last_error")).as(west.log()).isEqualTo("no connection has the selectors "
                    + Topology.EAST_SUBNET_V4 + " === 10.9.0.0/24 the peer proposed");
            assertThat(east.log()).contains("received INVALID_ID_INFORMATION error notify");
        }
    }
}
