package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
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
 * `causeway reload` and SIGHUP against a real strongSwan responder (charon with kernel-libipsec) in namespaces: added,
 * removed, changed and unchanged connections, an invalid configuration, routes following the tunnels, and the
 * leftupdown script's PLUTO_* environment on up and down.
 */
class ReloadIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PSK = SwanctlConf.LAB_PSK;
    private static final String IKE = "aes128-sha256-modp2048";
    /** One strongSwan child per Causeway connection, by the third octet of the subnets. */
    private static final List<String> CHILDREN = List.of("keep:0", "drop:1", "change:2", "new:3");

    private final String prefix = RunPrefix.next();
    private Path dir;

    @BeforeAll
    static void needsRootAndStrongSwan() {
        LabRequirements.root();
        LabRequirements.tools("charon", "ping");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    /** East answers every pair 10.1.N.0/24 === 10.2.N.0/24 as its own child of one connection; both GCM sizes. */
    private static String eastSwanctl(Topology t) {
        StringBuilder children = new StringBuilder();
        for (String child : CHILDREN) {
            String[] nameAndNet = child.split(":");
            children.append("      ").append(nameAndNet[0]).append(" {\n")
                    .append("        local_ts = 10.2.").append(nameAndNet[1]).append(".0/24\n")
                    .append("        remote_ts = 10.1.").append(nameAndNet[1]).append(".0/24\n")
                    .append("        esp_proposals = aes128gcm16,aes256gcm16\n")
                    .append("      }\n");
        }
        return "connections {\n  s2s {\n    version = 2\n    local_addrs = " + t.eastOuterV4() + "\n"
                + "    remote_addrs = %any\n    proposals = " + IKE + "\n"
                + "    local {\n      auth = psk\n      id = east.example\n    }\n"
                + "    remote {\n      auth = psk\n      id = west.example\n    }\n"
                + "    children {\n" + children + "    }\n  }\n}\n"
                + "secrets {\n  ike-s2s {\n    id-local = east.example\n    id-remote = west.example\n"
                + "    secret = \"" + PSK + "\"\n  }\n}\n";
    }

    private static String conn(Topology t, String name, int net, String... extra) {
        List<String> lines = new ArrayList<>(List.of(
                "conn " + name,
                "    keyexchange=ikev2",
                "    left=" + t.westOuterV4(),
                "    leftid=west.example",
                "    leftsubnet=10.1." + net + ".0/24",
                "    right=" + t.eastOuterV4(),
                "    rightid=east.example",
                "    rightsubnet=10.2." + net + ".0/24",
                "    authby=psk",
                "    ike=" + IKE + "!",
                "    auto=start"));
        for (String e : extra) lines.add("    " + e);
        if (List.of(extra).stream().noneMatch(e -> e.startsWith("esp="))) lines.add("    esp=aes128gcm16!");
        lines.add("");
        return String.join("\n", lines);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tunnel(CausewayProcess p, String name) {
        try {
            Map<String, Object> status = p.control(Map.of("cmd", "status", "name", name));
            List<Map<String, Object>> tunnels = (List<Map<String, Object>>) status.get("tunnels");
            return tunnels == null || tunnels.isEmpty() ? Map.of() : tunnels.get(0);
        } catch (Exception e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> tunnelNames(CausewayProcess p) throws Exception {
        Map<String, Object> status = p.control(Map.of("cmd", "status"));
        return ((List<Map<String, Object>>) status.get("tunnels")).stream().map(t -> (String) t.get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> tunnel) {
        List<Map<String, Object>> children = (List<Map<String, Object>>) tunnel.get("children");
        return children.get(children.size() - 1);
    }

    private static void awaitConnected(CausewayProcess p, String name) {
        boolean connected = Poll.until(DEADLINE, () -> "CONNECTED".equals(tunnel(p, name).get("state"))
                && !((List<?>) tunnel(p, name).get("children")).isEmpty());
        assertThat(connected).as("%s CONNECTED within %s: %s%nlog:%n%s", name, DEADLINE, tunnel(p, name), p.log()).isTrue();
    }

    private static ExecResult ping(Topology t, int net, int count) {
        return t.west().exec(Duration.ofSeconds(30), "ping", "-n", "-4", "-I", "10.1." + net + ".1", "-c",
                Integer.toString(count), "-i", "0.2", "-W", "5", "10.2." + net + ".1");
    }

    private static String route(Topology t, int net) {
        return t.west().ip("route", "show", "10.2." + net + ".0/24").stdout();
    }

    private static ExecResult cli(Topology t, CausewayProcess p, String command) {
        return t.west().exec(Duration.ofSeconds(60), p.cliCommand(command), null);
    }

    private static Map<String, String> readEnv(Path file) throws Exception {
        Map<String, String> env = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    @Test
    void reloadAddsRemovesAndChangesConnectionsAndLeavesTheUnchangedOneAlone() throws Exception {
        dir = Files.createDirectories(RunPrefix.workDir(prefix, "reload"));
        Path updown = Files.writeString(dir.resolve("updown.sh"),
                "#!/bin/sh\nenv > " + dir + "/updown-$PLUTO_CONNECTION-$PLUTO_VERB.env\n");
        updown.toFile().setExecutable(true);
        try (Topology t = Topology.create(prefix, false)) {
            for (int net = 1; net <= 3; net++) {
                t.west().ip("addr", "add", "10.1." + net + ".1/32", "dev", "lo");
                t.east().ip("addr", "add", "10.2." + net + ".1/32", "dev", "lo");
            }
            // the host already routes the added connection's subnet elsewhere: reload must not clobber it
            t.west().ip("route", "add", "10.2.3.0/24", "via", t.eastOuterV4(), "dev", t.westInterface());
            String updownLine = "leftupdown=" + updown;
            String before = conn(t, "keep", 0, updownLine) + conn(t, "drop", 1, updownLine)
                    + conn(t, "change", 2, "esp=aes128gcm16!");
            Path config = Files.writeString(dir.resolve("ipsec.conf"), before);
            Path secrets = Files.writeString(dir.resolve("ipsec.secrets"),
                    "west.example east.example : PSK \"" + PSK + "\"\n");
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), eastSwanctl(t));
                    CausewayProcess west = CausewayProcess.startDaemon(t.west(), CausewayLauncher.locate(), config,
                            secrets, dir.resolve("west.sock").toString(), dir.resolve("west.log"), DEADLINE)) {
                for (String name : List.of("keep", "drop", "change")) awaitConnected(west, name);
                assertThat(route(t, 1)).as("route while CONNECTED").contains("dev cw0");
                Poll.require(DEADLINE, "up-client of drop", () -> Files.exists(dir.resolve("updown-drop-up-client.env")));
                Map<String, String> up = readEnv(dir.resolve("updown-drop-up-client.env"));
                assertThat(up).containsEntry("PLUTO_VERSION", "1.1").containsEntry("PLUTO_CONNECTION", "drop")
                        .containsEntry("PLUTO_INTERFACE", "cw0").containsEntry("PLUTO_PROTO", "esp")
                        .containsEntry("PLUTO_ME", t.westOuterV4()).containsEntry("PLUTO_PEER", t.eastOuterV4())
                        .containsEntry("PLUTO_MY_ID", "west.example").containsEntry("PLUTO_PEER_ID", "east.example")
                        .containsEntry("PLUTO_MY_CLIENT", "10.1.1.0/24").containsEntry("PLUTO_PEER_CLIENT", "10.2.1.0/24")
                        .containsEntry("PLUTO_MY_CLIENT_NET", "10.1.1.0").containsEntry("PLUTO_PEER_CLIENT_MASK", "255.255.255.0")
                        .containsEntry("PLUTO_UDP_ENC", "4500") // kernel-libipsec always encapsulates
                        .containsKeys("PLUTO_REQID", "PLUTO_UNIQUEID")
                        .doesNotContainKeys("PLUTO_MARK_IN", "PLUTO_MARK_OUT", "PLUTO_IPCOMP");
                assertThat(String.join("\n", Files.readAllLines(dir.resolve("updown-drop-up-client.env")))).doesNotContain(PSK);
                assertThat(ping(t, 0, 3).exitCode()).isZero();
                Map<String, Object> keepBefore = child(tunnel(west, "keep"));
                long bytesBefore = ((Number) keepBefore.get("bytes_in")).longValue();
                Files.delete(dir.resolve("updown-keep-up-client.env"));

                // an invalid configuration: nothing changes, every error comes back with file:line
                Files.writeString(config, before + conn(t, "bad", 4, "esp=nonsense-cipher"));
                ExecResult invalid = cli(t, west, "reload");
                assertThat(invalid.exitCode()).as(invalid.describe()).isEqualTo(1);
                assertThat(invalid.stderr()).contains(config + ":").containsPattern("ipsec\\.conf:\\d+: esp: ");
                assertThat(tunnelNames(west)).containsExactly("keep", "drop", "change");

                // keep unchanged (lines moved), drop removed, change gets another ESP proposal, new added
                String after = "# reloaded\n" + conn(t, "new", 3) + conn(t, "change", 2, "esp=aes256gcm16!")
                        + conn(t, "keep", 0, updownLine);
                Files.writeString(config, after);
                // pings across the reload through the unchanged tunnel: not one may be lost
                Path pingLog = dir.resolve("ping.log");
                Process pings = t.west().spawn(pingLog, "ping", "-n", "-4", "-I", "10.1.0.1", "-c", "30", "-i", "0.1",
                        "-W", "2", "10.2.0.1");
                Poll.require(DEADLINE, "pings under way", () -> {
                    try {
                        return Files.readString(pingLog).contains("icmp_seq=3 ");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                ExecResult reload = cli(t, west, "reload");
                assertThat(reload.exitCode()).as("%s%n%s", reload.describe(), west.log()).isZero();
                assertThat(pings.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(pingLog)).contains("30 packets transmitted, 30 received");
                assertThat(reload.stdout()).contains("added: new", "removed: drop", "changed: change", "unchanged: keep");

                awaitConnected(west, "new");
                awaitConnected(west, "change");
                assertThat(child(tunnel(west, "change")).get("proposal").toString()).containsIgnoringCase("256");
                Map<String, Object> keepAfter = child(tunnel(west, "keep"));
                assertThat(keepAfter.get("spi_in")).isEqualTo(keepBefore.get("spi_in"));
                assertThat(keepAfter.get("spi_out")).isEqualTo(keepBefore.get("spi_out"));
                assertThat(ping(t, 0, 3).exitCode()).isZero();
                assertThat(((Number) child(tunnel(west, "keep")).get("bytes_in")).longValue()).isGreaterThan(bytesBefore);
                assertThat(east.listSas()).contains((String) keepBefore.get("spi_out"));
                assertThat(ping(t, 2, 3).exitCode()).isZero();

                // the four conns share one IKE SA (strongSwan's one connection with four children): removing drop and
                // changing change deletes their CHILD_SAs only, the IKE SA stays for the others
                Poll.require(DEADLINE, "strongSwan to get the DELETEs of drop and change",
                        () -> east.log().lines().filter(l -> l.contains("received DELETE for ESP CHILD_SA")).count() >= 2);
                assertThat(east.log()).doesNotContain("received DELETE for IKE_SA");
                assertThat(tunnelNames(west)).containsExactly("new", "change", "keep");
                assertThat(route(t, 1)).as("the removed connection's route").isBlank();
                assertThat(tunnel(west, "new").get("routes_not_installed")).isEqualTo(List.of("10.2.3.0/24"));
                assertThat(route(t, 3)).contains("dev " + t.westInterface()).doesNotContain("cw0");
                Poll.require(DEADLINE, "down-client of drop", () -> Files.exists(dir.resolve("updown-drop-down-client.env")));
                assertThat(readEnv(dir.resolve("updown-drop-down-client.env")))
                        .containsEntry("PLUTO_VERB", "down-client").containsEntry("PLUTO_PEER_CLIENT", "10.2.1.0/24")
                        .containsEntry("PLUTO_UNIQUEID", up.get("PLUTO_UNIQUEID"));
                assertThat(dir.resolve("updown-keep-up-client.env")).as("no updown for the untouched one").doesNotExist();

                // SIGHUP reloads too: "new" goes, its route was never ours and stays
                Files.writeString(config, conn(t, "change", 2, "esp=aes256gcm16!") + conn(t, "keep", 0, updownLine));
                new ProcessBuilder("kill", "-HUP", Long.toString(west.pid())).start().waitFor();
                Poll.require(DEADLINE, "SIGHUP to remove new", () -> {
                    try {
                        return tunnelNames(west).equals(List.of("change", "keep"));
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(route(t, 3)).contains("dev " + t.westInterface());
                assertThat(child(tunnel(west, "keep")).get("spi_in")).isEqualTo(keepBefore.get("spi_in"));
            }
        }
    }
}
