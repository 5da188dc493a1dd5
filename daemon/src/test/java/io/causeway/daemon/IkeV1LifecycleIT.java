package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An ISAKMP SA's life against strongSwan 5.9.8 in namespaces, as {@link IkeLifecycleIT} does for IKEv2: dead peer
 * detection (RFC 3706) when charon is killed, with dpdaction=clear and restart; a restarted charon whose
 * INITIAL-CONTACT replaces our stale SA; and phase-1 re-authentication, strongSwan's and ours, under continuous ping.
 */
class IkeV1LifecycleIT extends StrongSwanTestBase {
    private static final String IKE = "aes128-sha1-modp2048";
    private static final String ESP = "aes128-sha1";
    private static final Duration DPD_DELAY = Duration.ofSeconds(2);
    private static final Duration DPD_TIMEOUT = Duration.ofSeconds(6);
    /** Room beyond dpddelay + dpdtimeout for the timers and the polling on a loaded machine. */
    private static final Duration DPD_SLACK = Duration.ofSeconds(3);
    /** charon's log line for an R-U-THERE it received (RFC 3706), as it parses our informational exchanges. */
    private static final Pattern RECEIVED_DPD = Pattern.compile("parsed INFORMATIONAL_V1 request \\d+ \\[ HASH N\\(DPD\\) \\]");
    private static final Pattern SENT_INITIAL_CONTACT =
            Pattern.compile("generating ID_PROT request 0 \\[ ID HASH N\\(INITIAL_CONTACT\\) \\]");
    /** charon re-authenticating an ISAKMP SA it answered: a main mode of its own to us. */
    private static final Pattern STRONGSWAN_REAUTH =
            Pattern.compile("initiating Main Mode IKE_SA s2s\\[\\d+\\] to " + Topology.WEST_PUBLIC_V4.replace(".", "\\."));
    /** charon's log line for our R-U-THERE-ACK answering its own R-U-THERE. */
    private static final Pattern RECEIVED_DPD_ACK =
            Pattern.compile("parsed INFORMATIONAL_V1 request \\d+ \\[ HASH N\\(DPD_ACK\\) \\]");
    private static final String SECOND_EAST_SUBNET = "10.22.0.0/24";
    private static final String SECOND_EAST_HOST = "10.22.0.1";
    /**
     * A dead peer's new phase 1 gets an answer only once charon is back: until then our main mode message 1 is
     * retransmitted every second (hidden daemon options), and keyingtries=%forever keeps trying.
     */
    private static final String[] FAST_RETRANSMIT =
            {"--retransmit-timeout", "1s", "--retransmit-base", "1", "--retransmit-tries", "3"};

    private static Conn westV1(Topology t) {
        return Conn.westToEast(t).set("keyexchange", "ikev1").set("ike", IKE + "!").set("esp", ESP + "!");
    }

    private static SwanctlConf eastV1(Topology t) {
        return SwanctlConf.eastResponder(t).version(1).proposals(IKE).espProposals(ESP);
    }

    private static Conn dpdConn(Topology t, String action) {
        return westV1(t).set("dpdaction", action).set("dpddelay", DPD_DELAY.toSeconds() + "s")
                .set("dpdtimeout", DPD_TIMEOUT.toSeconds() + "s").set("keyingtries", "%forever");
    }

    private static int ikeSas(Map<String, Object> tunnel) {
        return ((Number) tunnel.get("ike_sas")).intValue();
    }

    /** Waits until charon has received one of our idle-time R-U-THEREs, so DPD is known to run before the kill. */
    private static void awaitDpdExchange(StrongSwan east, LabGateway west) {
        assertThat(Poll.until(DEADLINE, () -> RECEIVED_DPD.matcher(east.log()).find()))
                .as("an R-U-THERE reaches charon while idle%n%s%n--- strongSwan ---%n%s", west.log(), east.log()).isTrue();
    }

    /** dpdaction=clear: DOWN within dpddelay + dpdtimeout of the kill, the IPsec SAs and routes gone, no new attempt. */
    @Test
    void deadPeerIsClearedWhenCharonIsKilled() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).dpdDelay("2s").build());
                LabGateway west = LabGateway.start(t.west(), prefix, dpdConn(t, "clear"))) {
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
            assertThat(routeTo(t)).as("route through the tunnel").contains("dev");
            awaitDpdExchange(east, west);
            // charon's own R-U-THERE (dpd_delay 2 s) gets our R-U-THERE-ACK
            assertThat(Poll.until(DEADLINE, () -> RECEIVED_DPD_ACK.matcher(east.log()).find()))
                    .as("charon receives an R-U-THERE-ACK from us%n%s", east.log()).isTrue();

            long killedAt = System.nanoTime();
            east.kill();
            Map<String, Object> down = west.awaitState("DOWN", DPD_DELAY.plus(DPD_TIMEOUT).plus(DPD_SLACK));
            Duration took = Duration.ofNanos(System.nanoTime() - killedAt);

            assertThat(took).as("dead within dpddelay + dpdtimeout").isLessThanOrEqualTo(DPD_DELAY.plus(DPD_TIMEOUT).plus(DPD_SLACK));
            assertThat((String) down.get("last_error")).isEqualTo("dead peer: no answer to R-U-THERE for 6 s");
            assertThat(children(down)).isEmpty();
            assertThat(down.get("ike")).as("the ISAKMP SA is gone").isNull();
            assertThat(ikeSas(down)).isZero();
            assertThat(routeTo(t)).as("route to the remote subnet after clear").isBlank();
            // clear does not initiate again (keyingtries=%forever notwithstanding): the tunnel stays DOWN
            boolean leftDown = Poll.until(Duration.ofSeconds(3), Duration.ofMillis(200), () -> {
                try {
                    return !"DOWN".equals(west.tunnel().get("state"));
                } catch (Exception e) {
                    return true;
                }
            });
            assertThat(leftDown).as("dpdaction=clear initiated again:%n%s", west.log()).isFalse();
        }
    }

    /**
     * dpdaction=restart: charon is killed, Causeway declares it dead and keeps initiating; once charon is back the new
     * ISAKMP SA and IPsec SA come up by themselves and traffic flows.
     */
    @Test
    void deadPeerIsRestartedOnceCharonIsBack() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, dpdConn(t, "restart"), FAST_RETRANSMIT)) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstCookie = (String) ike(up).get("spi_i");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
            awaitDpdExchange(east, west);

            east.kill();
            west.awaitTunnel("no longer CONNECTED after the kill", DPD_DELAY.plus(DPD_TIMEOUT).plus(DPD_SLACK),
                    tunnel -> !"CONNECTED".equals(tunnel.get("state")));
            assertThat(west.log()).contains("dead peer: no answer to R-U-THERE for 6 s");
            try (StrongSwan again = east.restart()) {
                Map<String, Object> back = west.awaitTunnel("CONNECTED with a new ISAKMP SA", DEADLINE, tunnel ->
                        "CONNECTED".equals(tunnel.get("state")) && !firstCookie.equals(ike(tunnel).get("spi_i")));
                assertThat(children(back)).hasSize(1);
                assertThat(ikeSas(back)).isEqualTo(1);
                again.waitEstablished(DEADLINE);
                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s%n%s%n%s", ping, west.log(), again.log()).isTrue();
                assertThat(again.sas().ikeSas()).hasSize(1);
            }
        }
    }

    /**
     * charon crashes and comes back before Causeway (no DPD) notices: the new charon initiates main mode with
     * INITIAL-CONTACT, and Causeway, the responder, forgets the stale ISAKMP SA and its IPsec SA.
     */
    @Test
    void restartedStrongSwanReplacesOurStaleSaThroughInitialContact() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t).set("auto", "add"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).remoteAddrs(t.westOuterV4())
                        .startAction("start").build())) {
            Map<String, Object> first = west.awaitState("CONNECTED");
            Map<String, Object> firstIke = ike(first);
            Map<String, Object> firstChild = children(first).get(0);
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
            assertThat(ikeSas(first)).isEqualTo(1);

            east.kill();
            try (StrongSwan again = east.restart()) {
                // start_action=start: the new charon initiates as soon as its config is loaded
                Map<String, Object> back = west.awaitTunnel("CONNECTED on the new ISAKMP SA alone", DEADLINE, tunnel ->
                        "CONNECTED".equals(tunnel.get("state")) && !firstIke.get("spi_i").equals(ike(tunnel).get("spi_i"))
                                && children(tunnel).size() == 1 && ikeSas(tunnel) == 1
                                && !firstChild.get("spi_in").equals(children(tunnel).get(0).get("spi_in")));
                assertThat(ike(back).get("initiator")).isEqualTo(false);
                assertThat(west.log()).as("the stale IPsec SA left the data plane")
                        .contains("CHILD_SA in " + firstChild.get("spi_in") + " out " + firstChild.get("spi_out") + " removed");
                again.waitEstablished(DEADLINE);
                assertThat(again.log()).as("strongSwan's main mode message 5").containsPattern(SENT_INITIAL_CONTACT);

                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s%n%s%n%s", ping, west.log(), again.log()).isTrue();
                Map<String, Object> after = west.tunnel();
                assertThat(ikeSas(after)).as("exactly one ISAKMP SA at Causeway").isEqualTo(1);
                assertThat(ike(after).get("spi_i")).isEqualTo(ike(back).get("spi_i"));
                assertThat(again.sas().ikeSas()).as("exactly one at strongSwan").hasSize(1);
            }
        }
    }

    /**
     * As above with the stale ISAKMP SA one Causeway initiated (auto=start): the restarted charon initiates too
     * (start_action=start), and its INITIAL-CONTACT replaces our own SA; one ISAKMP SA is left on each side.
     */
    @Test
    void restartedStrongSwanReplacesTheSaWeInitiatedThroughInitialContact() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            Map<String, Object> first = west.awaitState("CONNECTED");
            Map<String, Object> firstChild = children(first).get(0);
            assertThat(ike(first).get("initiator")).isEqualTo(true);
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();

            east.kill();
            // the same configuration, now initiating to us at load
            java.nio.file.Files.writeString(east.workDir().resolve("swanctl.conf"),
                    eastV1(t).remoteAddrs(t.westOuterV4()).startAction("start").build());
            try (StrongSwan again = east.restart()) {
                Map<String, Object> back = west.awaitTunnel("CONNECTED on charon's new ISAKMP SA alone", DEADLINE,
                        tunnel -> "CONNECTED".equals(tunnel.get("state")) && Boolean.FALSE.equals(ike(tunnel).get("initiator"))
                                && children(tunnel).size() == 1 && ikeSas(tunnel) == 1
                                && !firstChild.get("spi_in").equals(children(tunnel).get(0).get("spi_in")));
                assertThat(west.log()).as("the stale IPsec SA left the data plane")
                        .contains("CHILD_SA in " + firstChild.get("spi_in") + " out " + firstChild.get("spi_out") + " removed");
                again.waitEstablished(DEADLINE);
                assertThat(again.log()).containsPattern(SENT_INITIAL_CONTACT);
                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s%n%s%n%s", ping, west.log(), again.log()).isTrue();
                assertThat(ikeSas(west.tunnel())).as("exactly one ISAKMP SA at Causeway").isEqualTo(1);
                assertThat(again.sas().ikeSas()).as("exactly one at strongSwan").hasSize(1);
            }
        }
    }

    /**
     * strongSwan's rekey_time for an IKEv1 connection re-authenticates: a new main mode, the IPsec SAs moved or
     * renegotiated, the old ISAKMP SA deleted. 100 pings 200 ms apart cross it and none is lost.
     */
    @Test
    void strongSwanReauthenticatesUnderContinuousPingLosingNothing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t).rekeyTime("10s").build());
                LabGateway west = LabGateway.start(t.west(), prefix, westV1(t))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstCookie = (String) ike(up).get("spi_i");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();

            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 100, Duration.ofMillis(200),
                    Duration.ofSeconds(25));

            String swanLog = east.log();
            assertThat(ping.received()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, west.log(), swanLog)
                    .isEqualTo(ping.transmitted());
            assertThat(ping.transmitted()).isEqualTo(100);
            // charon 5.9.8 logs no "reauthenticating" for IKEv1: its new main mode as initiator shows it, and the DELETE
            // of the first ISAKMP SA once the IPsec SA moved to the new one (its "nothing to initiate")
            assertThat(count(STRONGSWAN_REAUTH, swanLog)).as(swanLog).isGreaterThanOrEqualTo(1);
            assertThat(swanLog).contains("sending DELETE for IKE_SA s2s[1]");
            assertSettledOnOneNewIsakmpSa(west, east, firstCookie);
        }
    }

    /**
     * Causeway's own re-authentication (ikelifetime 12 s, margintime 4 s, no fuzz: a new ISAKMP SA at 8 s and 16 s)
     * under 100 pings 200 ms apart, with a second connection sharing the ISAKMP SA (as seed 002's two tunnels do):
     * no ping is lost, both tunnels' IPsec SAs move to the new SA, and one ISAKMP SA is left on each side.
     */
    @Test
    void causewayReauthenticatesUnderContinuousPingLosingNothing() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            t.east().ip("addr", "add", SECOND_EAST_HOST + "/32", "dev", "lo");
            Conn first = reauthenticating(westV1(t));
            // the same IKE parameters, so the same ISAKMP SA; another remote subnet
            Conn second = reauthenticating(Conn.named("second").set("keyexchange", "ikev1"));
            for (String key : List.of("left", "leftid", "leftsubnet", "right", "rightid", "ike", "esp", "auto")) {
                second.set(key, first.get(key));
            }
            second.set("rightsubnet", SECOND_EAST_SUBNET);
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), eastV1(t)
                            .localTs(Topology.EAST_SUBNET_V4 + "," + SECOND_EAST_SUBNET).build());
                    LabGateway west = LabGateway.start(t.west(), prefix, List.of(first, second))) {
                Map<String, Object> up = west.awaitState("s2s", "CONNECTED");
                west.awaitState("second", "CONNECTED");
                String firstCookie = (String) ike(up).get("spi_i");
                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();

                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 100, Duration.ofMillis(200),
                        Duration.ofSeconds(25));

                String swanLog = east.log();
                assertThat(ping.received()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, west.log(),
                        swanLog).isEqualTo(ping.transmitted());
                assertThat(ping.transmitted()).isEqualTo(100);
                // our new main modes, each while the old ISAKMP SA still stood, and the old ones deleted by us
                assertThat(count(Pattern.compile("received DELETE for IKE_SA"), swanLog)).as(swanLog)
                        .isGreaterThanOrEqualTo(2);
                assertSettledOnOneNewIsakmpSa(west, east, firstCookie, "s2s", 2);
                Map<String, Object> other = west.tunnel("second");
                assertThat(other.get("state")).isEqualTo("CONNECTED");
                assertThat(ikeSas(other)).isEqualTo(1);
                assertThat(ike(other).get("spi_i")).as("both tunnels on the new ISAKMP SA")
                        .isEqualTo(ike(west.tunnel("s2s")).get("spi_i"));
                assertThat(children(other)).hasSize(1);
                Ping.Result toSecond = Ping.run(t.west(), t.westHostV4(), SECOND_EAST_HOST, 3);
                assertThat(toSecond.allReceived()).as("%s%n%s", toSecond, west.log()).isTrue();
            }
        }
    }

    private static Conn reauthenticating(Conn c) {
        return c.set("ikelifetime", "12s").set("margintime", "4s").set("rekeyfuzz", "0%");
    }

    private static void assertSettledOnOneNewIsakmpSa(LabGateway west, StrongSwan east, String firstCookie) {
        assertSettledOnOneNewIsakmpSa(west, east, firstCookie, "s2s", 1);
    }

    /** Causeway's tunnel and strongSwan each on one new ISAKMP SA; strongSwan's carries swanChildren IPsec SAs. */
    private static void assertSettledOnOneNewIsakmpSa(LabGateway west, StrongSwan east, String firstCookie, String name,
            int swanChildren) {
        boolean settled = Poll.until(DEADLINE, () -> {
            try {
                Map<String, Object> now = west.tunnel(name);
                SwanSas sas = east.sas();
                return "CONNECTED".equals(now.get("state")) && ikeSas(now) == 1 && children(now).size() == 1
                        && !firstCookie.equals(ike(now).get("spi_i"))
                        && sas.ikeSas().size() == 1 && sas.ikeSas().get(0).uniqueId() > 1 && sas.anyEstablished()
                        && sas.ikeSas().get(0).children().size() == swanChildren;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(settled).as("one new ISAKMP SA with one IPsec SA on each side:%n%s%n%s%n--- causeway ---%n%s",
                east.listSas(), statusOrError(west), west.log()).isTrue();
    }

    private static String statusOrError(LabGateway west) {
        try {
            return west.tunnel().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String routeTo(Topology t) {
        return t.west().ip("route", "show", Topology.EAST_SUBNET_V4).stdout().strip();
    }

    private static int count(Pattern pattern, String text) {
        int n = 0;
        var m = pattern.matcher(text);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
