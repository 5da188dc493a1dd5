package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * auto=route traps, `causeway up` / `down` and dpdaction=hold against a real strongSwan responder
 * (charon with kernel-libipsec) in namespaces.
 */
class TrapAndUpIT extends StrongSwanTestBase {
    private static final String PSK = SwanctlConf.LAB_PSK;
    private static final String IKE = "aes128-sha256-modp2048";
    private static final String ESP = "aes128gcm16";
    private static final Pattern REPLY = Pattern.compile("bytes from \\S+ icmp_seq=(\\d+) ");

    private LabGateway daemon(Topology t, String auto) throws Exception {
        return LabGateway.start(t.west(), prefix, westConn(t, auto));
    }

    private static Conn westConn(Topology t, String auto) {
        return Conn.westToEast(t).set("ike", IKE + "!").set("esp", ESP + "!").set("auto", auto);
    }

    private static StrongSwan eastResponder(Topology t) {
        return StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).proposals(IKE).espProposals(ESP).build());
    }

    @SuppressWarnings("unchecked")
    private static long drops(Map<String, Object> tunnel, String reason) {
        return ((Number) ((Map<String, Object>) tunnel.get("drops")).get(reason)).longValue();
    }

    /**
     * Sends exactly {@code count} echo requests (no -w, so a lost one is not replaced by another) and
     * waits up to {@code waitSeconds} for the replies; per-reply lines (not -q) tell which icmp_seq came back.
     */
    private static ExecResult ping(Topology t, int count, String interval, int waitSeconds) {
        return t.west().exec(Duration.ofSeconds(waitSeconds + 20L), "ping", "-n", "-4", "-I", t.westHostV4(),
                "-c", Integer.toString(count), "-i", interval, "-W", Integer.toString(waitSeconds), t.eastHostV4());
    }

    private static Set<Integer> answered(ExecResult ping) {
        Set<Integer> seqs = new TreeSet<>();
        Matcher m = REPLY.matcher(ping.stdout());
        while (m.find()) seqs.add(Integer.parseInt(m.group(1)));
        return seqs;
    }

    private static String route(Topology t) {
        return t.west().ip("route", "show", Topology.EAST_SUBNET_V4).stdout();
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void autoRouteTrapsAndTheFirstPingIsDeliveredAndAnswered() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = eastResponder(t);
                LabGateway west = daemon(t, "route")) {
            Map<String, Object> idle = west.tunnel();
            assertThat(idle).containsEntry("state", "DOWN").containsEntry("trap", true);
            assertThat(route(t)).as("trap route at load").contains("dev cw0");
            assertThat(west.status().stdout()).contains("\"trap\":true");

            // one echo request, no retry: the reply proves the first packet was kept and sent through the new SA
            ExecResult first = ping(t, 1, "1", 20);
            assertThat(answered(first)).as("%s%n%s", first.stdout(), west.log()).containsExactly(1);
            Map<String, Object> up = west.tunnel();
            assertThat(up).containsEntry("state", "CONNECTED").containsEntry("trap", true)
                    .containsEntry("trap_triggers", 1L);
            assertThat(drops(up, "trap_negotiation_failed")).isZero();
            east.waitEstablished(DEADLINE);

            // down keeps the trap and its route; the next packet brings the tunnel up again
            ExecResult down = west.down("s2s");
            assertThat(down.exitCode()).as(down.describe()).isZero();
            assertThat(down.stdout()).contains("s2s: DOWN (auto=route: the trap stays");
            assertThat(west.tunnel()).containsEntry("state", "DOWN").containsEntry("trap", true);
            assertThat(route(t)).contains("dev cw0");
            Poll.require(DEADLINE, "strongSwan to get the DELETE", () -> east.log().contains("received DELETE for IKE_SA"));

            ExecResult again = ping(t, 1, "1", 20);
            assertThat(answered(again)).as("%s%n%s", again.stdout(), west.log()).containsExactly(1);
            assertThat(west.tunnel()).containsEntry("state", "CONNECTED").containsEntry("trap_triggers", 2L);
        }
    }

    @Test
    void aBurstStartsOneNegotiationAndOnlyTheFirstEightPacketsWait() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = eastResponder(t);
                LabGateway west = daemon(t, "route")) {
            // 1 ms apart: dozens of requests leave before IKE can finish
            int requests = 40;
            ExecResult burst = ping(t, requests, "0.001", 10);
            Set<Integer> replies = answered(burst);

            assertThat(replies).as("%s%n%s", burst.stdout(), west.log()).contains(1, 2, 3, 4, 5, 6, 7, 8);
            assertThat(count(east.log(), "parsed IKE_SA_INIT request")).as(east.log()).isEqualTo(1);
            Map<String, Object> tunnel = west.tunnel();
            assertThat(tunnel).containsEntry("state", "CONNECTED").containsEntry("trap_triggers", 1L);
            long lost = requests - replies.size();
            assertThat(drops(tunnel, "trap_queue_full")).as("every request lost was dropped by the full trap queue")
                    .isPositive().isEqualTo(lost);
        }
    }

    @Test
    void upConnectsSaysSoWhenAlreadyUpAndDownDeletes() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = eastResponder(t);
                LabGateway west = daemon(t, "add")) {
            assertThat(west.tunnel()).containsEntry("state", "DOWN").containsEntry("trap", false);

            ExecResult up = west.up("s2s");
            assertThat(up.exitCode()).as("%s%n%s", up.describe(), west.log()).isZero();
            assertThat(up.stdout()).containsPattern("s2s: CONNECTED after \\d+ ms");
            assertThat(west.tunnel()).containsEntry("state", "CONNECTED");
            east.waitEstablished(DEADLINE);

            ExecResult again = west.up("s2s");
            assertThat(again.exitCode()).isZero();
            assertThat(again.stdout()).contains("s2s: already CONNECTED");
            assertThat(count(east.log(), "parsed IKE_SA_INIT request")).as("no second IKE SA").isEqualTo(1);

            ExecResult unknown = west.up("nope");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.stderr().strip()).isEqualTo("causeway: no connection named nope");

            ExecResult down = west.down("s2s");
            assertThat(down.exitCode()).as(down.describe()).isZero();
            assertThat(down.stdout().strip()).isEqualTo("s2s: DOWN");
            assertThat(west.tunnel()).containsEntry("state", "DOWN");
            assertThat(route(t)).as("no trap: the route goes with the CHILD_SA").doesNotContain("cw0");
            Poll.require(DEADLINE, "strongSwan to get the DELETE", () -> east.log().contains("received DELETE for IKE_SA"));
            Poll.require(DEADLINE, "strongSwan to drop the IKE SA", () -> !east.listSas().contains("ESTABLISHED"));
        }
    }

    @Test
    void upWithAWrongPskExitsThreeWithTheReason() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .psk("a different key").proposals(IKE).espProposals(ESP).build());
                LabGateway west = daemon(t, "add")) {
            ExecResult up = west.up("s2s");

            assertThat(up.exitCode()).as(up.describe()).isEqualTo(3);
            assertThat(up.stderr()).contains("s2s: PHASE1_FAILED:", "AUTHENTICATION_FAILED");
            assertThat(up.stderr().strip().lines()).hasSize(1);
            assertThat(up.stdout() + up.stderr()).doesNotContain(PSK);
            assertThat(west.tunnel()).containsEntry("state", "PHASE1_FAILED");
        }
    }

    @Test
    void dpdactionHoldReturnsToTheTrapAndAPingBringsTheTunnelBack() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            StrongSwan east = eastResponder(t);
            // retransmit 1 s x 2: the dead peer is found about 5 s after charon dies, not strongSwan's 165 s
            try (LabGateway west = LabGateway.start(t.west(), prefix,
                    westConn(t, "start").set("dpdaction", "hold").set("dpddelay", "2s"),
                    "--retransmit-timeout", "1s", "--retransmit-base", "1", "--retransmit-tries", "2")) {
                try {
                    west.awaitState("CONNECTED");
                    assertThat(west.tunnel()).containsEntry("trap", false);
                    east.waitEstablished(DEADLINE);

                    kill9(east); // no DELETE: the peer just disappears
                    west.awaitTunnel("DOWN with its trap", DEADLINE,
                            tunnel -> "DOWN".equals(tunnel.get("state")) && Boolean.TRUE.equals(tunnel.get("trap")));
                    assertThat((String) west.tunnel().get("last_error")).contains("dead peer");
                    assertThat(route(t)).as("hold keeps the route").contains("dev cw0");
                } finally {
                    east.close();
                }

                try (StrongSwan reborn = eastResponder(t)) {
                    ExecResult ping = ping(t, 1, "1", 20);
                    assertThat(answered(ping)).as("%s%n%s%n%s", ping.stdout(), west.log(), reborn.log())
                            .containsExactly(1);
                    assertThat(west.tunnel()).containsEntry("state", "CONNECTED").containsEntry("trap_triggers", 1L);
                    reborn.waitEstablished(DEADLINE);
                }
            }
        }
    }

    /** SIGKILL to charon, found among the namespace's processes, so it cannot send a DELETE on its way out. */
    private static void kill9(StrongSwan swan) {
        List<ProcessHandle> charons = new ArrayList<>();
        for (long pid : swan.netns().pids()) {
            ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("/charon")).orElse(false))
                    .ifPresent(charons::add);
        }
        assertThat(charons).as("charon in %s", swan.netns().name()).hasSize(1);
        charons.get(0).destroyForcibly();
        Poll.require(DEADLINE, "charon to die", () -> !swan.alive());
    }
}
