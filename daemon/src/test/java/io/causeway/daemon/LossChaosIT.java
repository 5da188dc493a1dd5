package io.causeway.daemon;

import static io.causeway.daemon.CharonLog.CHILD_REKEY;
import static io.causeway.daemon.CharonLog.DPD;
import static io.causeway.daemon.CharonLog.IKE_REKEY;
import static io.causeway.daemon.CharonLog.count;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * 20 % of the packets lost in each direction (nftables {@code numgen random mod 100 < 20 drop} on every UDP packet
 * leaving either namespace; ESP goes in UDP here, so that is every packet on the wire) while Causeway sets up, rekeys
 * and checks for a dead peer against strongSwan 5.9.8: everything converges, and the time to CONNECTED is measured
 * next to strongSwan's own under the same loss.
 *
 * <p>Both ends use one retransmit schedule, shorter than strongSwan's default (4 s x 1.8^n, 5 tries, 165 s before
 * giving up), so that a test run waits seconds, not minutes: 1 s x 1.8^n, 8 tries. The chance that an exchange loses
 * all 9 of its requests or responses at this loss is 0.36^9, about 1 in 10,000.
 */
class LossChaosIT extends StrongSwanTestBase {
    private static final int LOSS_PERCENT = 20;
    private static final int SETUPS = 5;
    private static final String[] CAUSEWAY_RETRANSMIT =
            {"--retransmit-timeout", "1s", "--retransmit-base", "1.8", "--retransmit-tries", "8"};
    private static final Map<String, String> CHARON_RETRANSMIT =
            Map.of("retransmit_timeout", "1", "retransmit_base", "1.8", "retransmit_tries", "8");
    /** The whole schedule (1 + 1.8 + ... + 1.8^8 s, about 230 s) is not waited for: one setup in a minute. */
    private static final Duration SETUP_DEADLINE = Duration.ofSeconds(60);

    /**
     * Five setups each, one after the other in one topology: Causeway initiating to a strongSwan responder, then a
     * strongSwan initiator to the same responder, both under the loss. Each is taken down without loss, so that the
     * next one starts from nothing on both sides.
     */
    @Test
    void setupUnderLossConvergesLikeStrongSwans() throws Exception {
        List<Double> causeway = new ArrayList<>();
        List<Double> strongSwan = new ArrayList<>();
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build(),
                        CHARON_RETRANSMIT)) {
            try (LabGateway west = LabGateway.start(t.west(), prefix, lossyConn(t).set("auto", "add"),
                    CAUSEWAY_RETRANSMIT)) {
                for (int i = 0; i < SETUPS; i++) {
                    lossBothWays(t, LOSS_PERCENT);
                    long start = System.nanoTime();
                    assertThat(west.control(Map.of("cmd", "up", "name", "s2s"))).containsEntry("ok", true);
                    west.awaitState("CONNECTED", SETUP_DEADLINE);
                    causeway.add(secondsSince(start));
                    lossBothWays(t, 0);
                    assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), LabGateway.DEADLINE))
                            .as("ping after setup %d%n%s", i + 1, west.log()).isTrue();
                    takeDown(west, east);
                }
            }
            try (StrongSwan west = StrongSwan.startAndLoad(t.west(), SwanctlConf.westInitiator(t).build(),
                    CHARON_RETRANSMIT)) {
                for (int i = 0; i < SETUPS; i++) {
                    lossBothWays(t, LOSS_PERCENT);
                    long start = System.nanoTime();
                    ExecResult initiated = west.swanctl("--initiate", "--child", SwanctlConf.DEFAULT_CHILD,
                            "--timeout", Long.toString(SETUP_DEADLINE.toSeconds()));
                    strongSwan.add(secondsSince(start));
                    lossBothWays(t, 0);
                    assertThat(initiated.ok()).as("strongSwan's setup %d under loss:%n%s", i + 1, initiated.describe())
                            .isTrue();
                    west.swanctl("--terminate", "--ike", SwanctlConf.DEFAULT_CONNECTION);
                    assertThat(Poll.until(LabGateway.DEADLINE, () -> east.sas().ikeSas().isEmpty()
                            && west.sas().ikeSas().isEmpty())).as("strongSwan's SAs gone after setup %d", i + 1).isTrue();
                }
            }
        }
        System.out.printf(Locale.ROOT, "LossChaosIT: time to CONNECTED at %d %% loss each way, s: Causeway %s "
                + "(median %.1f), strongSwan %s (median %.1f)%n", LOSS_PERCENT, causeway, median(causeway),
                strongSwan, median(strongSwan));
    }

    /**
     * Under the loss for the whole run: setup, about 25 s of pings across CHILD_SA rekeys every 4 s and an IKE SA
     * rekey at 12 s, then 12 s without traffic in which DPD runs every 2 s. When the loss stops, the two ends hold
     * the same CHILD_SAs, strongSwan one IKE SA, and every ping passes. What the loss cost on the way is printed.
     */
    @Test
    void rekeysAndDpdUnderLossConverge() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build(),
                        CHARON_RETRANSMIT)) {
            lossBothWays(t, LOSS_PERCENT);
            // rekeyfuzz=0%: CHILD_SA rekeys at 4, 8, 12 ... s, the IKE SA at ikelifetime - margintime = 12 s
            try (LabGateway west = LabGateway.start(t.west(), prefix, lossyConn(t)
                    .set("lifetime", "8s").set("ikelifetime", "16s").set("margintime", "4s").set("rekeyfuzz", "0%")
                    .set("reauth", "no").set("dpdaction", "restart").set("dpddelay", "2s"), CAUSEWAY_RETRANSMIT)) {
                Map<String, Object> up = west.awaitState("CONNECTED", SETUP_DEADLINE);
                String firstIkeSpi = (String) ike(up).get("spi_i");

                CompletableFuture<Ping.Result> pinging = CompletableFuture.supplyAsync(() -> Ping.run(t.west(),
                        t.westHostV4(), t.eastHostV4(), 250, Duration.ofMillis(100), Duration.ofSeconds(60)));
                Ping.Result underLoss = pinging.get();
                // no traffic: only DPD keeps the IKE SA checked (an idle peer is probed after dpddelay)
                int dpdBefore = count(DPD, east.log());
                boolean probed = Poll.until(Duration.ofSeconds(30), () -> count(DPD, east.log()) >= dpdBefore + 3);
                lossBothWays(t, 0);

                String swanLog = east.log();
                assertThat(probed).as("three DPD exchanges reached strongSwan under the loss%n%s", swanLog).isTrue();
                boolean settled = Poll.until(Duration.ofSeconds(60), () -> settled(west, east));
                assertThat(settled).as("one CHILD_SA on both sides and one IKE SA at strongSwan after the loss: ours %s"
                        + "%n%s%n--- causeway ---%n%s", west.tunnel(), east.listSas(), west.log()).isTrue();
                Ping.Result after = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 20, Duration.ofMillis(50),
                        Duration.ofSeconds(10));
                assertThat(after.allReceived()).as("pings after the loss: %s%n%s", after, west.log()).isTrue();
                int childRekeys = count(CHILD_REKEY, swanLog);
                int ikeRekeys = count(IKE_REKEY, swanLog);
                assertThat(childRekeys).as("CHILD_SA rekeys under the loss%n%s", swanLog).isGreaterThanOrEqualTo(4);
                assertThat(ikeRekeys).as("IKE SA rekeys under the loss%n%s", swanLog).isGreaterThanOrEqualTo(1);
                String ikeNow = (String) ike(west.tunnel()).get("spi_i");
                System.out.printf(Locale.ROOT, "LossChaosIT: under %d %% loss each way: %d CHILD_SA and %d IKE SA "
                        + "rekeys reached strongSwan, %d DPD checks; pings %d/%d received (%.0f %% lost; a ping needs "
                        + "its request and its reply each cross one lossy exit, 1 - 0.8^2 = 36 %% expected); IKE SA %s%n", LOSS_PERCENT, childRekeys,
                        ikeRekeys, count(DPD, swanLog), underLoss.received(), underLoss.transmitted(),
                        underLoss.lossPercent(), ikeNow.equals(firstIkeSpi) ? "never rekeyed?" : "rekeyed, never lost");
                assertThat(west.log()).as("DPD never gave up on the live peer").doesNotContain("dead peer");
            }
        }
    }

    /** One CHILD_SA, the same on both sides, and strongSwan down to one IKE SA. */
    private static boolean settled(LabGateway west, StrongSwan east) {
        try {
            Map<String, Object> now = west.tunnel();
            List<String> ours = children(now).stream().map(c -> (String) c.get("spi_out")).sorted().toList();
            SwanSas sas = east.sas();
            return "CONNECTED".equals(now.get("state")) && ours.size() == 1
                    && ours.equals(IkeLifecycleIT.swanInboundSpis(east.listSas())) && sas.ikeSas().size() == 1;
        } catch (Exception e) {
            return false;
        }
    }

    /** Causeway's side: ESP in UDP 4500 (forceencaps), so the loss rule sees the data as well as IKE. */
    private static Conn lossyConn(Topology t) {
        return Conn.westToEast(t).set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                .set("forceencaps", "yes");
    }

    private static void lossBothWays(Topology t, int percent) {
        t.loss(t.west(), percent);
        t.loss(t.east(), percent);
    }

    private static void takeDown(LabGateway west, StrongSwan east) throws Exception {
        assertThat(west.control(Map.of("cmd", "down", "name", "s2s"))).containsEntry("ok", true);
        west.awaitState("DOWN", LabGateway.DEADLINE);
        assertThat(Poll.until(LabGateway.DEADLINE, () -> east.sas().ikeSas().isEmpty()))
                .as("strongSwan's SAs gone after our DELETE%n%s", east.listSas()).isTrue();
    }

    private static double secondsSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

}
