package io.causeway.daemon;

import static io.causeway.daemon.CharonLog.CHILD_REKEY;
import static io.causeway.daemon.CharonLog.CHILD_REKEY_WITH_KE;
import static io.causeway.daemon.CharonLog.IKE_REKEY;
import static io.causeway.daemon.CharonLog.count;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What Causeway does over an SA's life against strongSwan 5.9.8 in namespaces: rekeys it starts itself by its
 * own short lifetimes (CHILD_SA with PFS, IKE SA, CHILD_SA by bytes), dead peer detection when charon is killed,
 * and a restarted charon's INITIAL_CONTACT replacing the SAs it lost.
 */
class IkeLifecycleIT extends StrongSwanTestBase {
    /** charon's IKE_AUTH request carrying N(INITIAL_CONTACT), as it logs the messages it builds. */
    private static final Pattern SENT_INITIAL_CONTACT =
            Pattern.compile("generating IKE_AUTH request 1 \\[ [^\\]]*N\\(INIT_CONTACT\\)");
    /** "  net: #2, reqid 1, INSTALLED, TUNNEL-in-UDP, ..." and "    in  c5a39c9e,  0 bytes, ..." in --list-sas. */
    private static final Pattern SWAN_CHILD = Pattern.compile("^\\s+\\S+: #\\d+, reqid \\d+, (\\w+),");
    private static final Pattern SWAN_INBOUND_SPI = Pattern.compile("^\\s+in\\s+([0-9a-f]{8})");
    /**
     * IKEv2 ignores dpdtimeout (RFC 7296 2.4, as strongSwan): a dead peer is declared when the DPD exchange runs out
     * of retransmissions. strongSwan's schedule (4 s x 1.8^n, 5 tries) would take about 165 s after dpddelay; the
     * daemon's hidden retransmit options (1 s x 1.0^n, 2 tries) make it 3 s, as charon.retransmit_* would.
     */
    private static final String[] FAST_RETRANSMIT =
            {"--retransmit-timeout", "1s", "--retransmit-base", "1", "--retransmit-tries", "2"};
    private static final Duration DPD_DELAY = Duration.ofSeconds(2);
    /** FAST_RETRANSMIT's schedule: the request and two retransmissions, 1 s apart. */
    private static final Duration FAST_SCHEDULE = Duration.ofSeconds(3);
    /** dpddelay (2 s) plus the 3 s of retransmissions, with room for a loaded machine. */
    private static final Duration DEAD_PEER_DEADLINE = Duration.ofSeconds(30);

    @Test
    void causewayRekeysChildSaWithPfsUnderContinuousPing() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-ecp256").espProposals("aes128gcm16-modp2048").build());
                // rekeyfuzz=0%: the CHILD_SA is rekeyed exactly at lifetime - margintime = 5 s, then every 5 s
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16-modp2048!")
                        .set("lifetime", "10s").set("margintime", "5s").set("rekeyfuzz", "0%"))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstOut = (String) children(up).get(0).get("spi_out");
            assertThat(swanInboundSpis(east.listSas())).as("strongSwan receives on our outbound SPI").containsExactly(firstOut);
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();

            // 8 s of pings cross the rekey at 5 s (and leave before the one at 10 s)
            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 40, Duration.ofMillis(200),
                    Duration.ofSeconds(12));

            assertThat(ping.received()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, west.log(), east.log())
                    .isEqualTo(ping.transmitted());
            assertThat(CHILD_REKEY_WITH_KE.matcher(east.log()).find()).as("our CREATE_CHILD_SA with KE:%n%s", east.log())
                    .isTrue();
            // settled: strongSwan receives on exactly our current outbound SPIs, none the first one, with the DH group
            boolean settled = Poll.until(DEADLINE, () -> {
                List<String> ours = currentOutboundSpis(west);
                String listed = east.listSas();
                return !ours.isEmpty() && !ours.contains(firstOut) && ours.equals(swanInboundSpis(listed))
                        && listed.contains("ESP:AES_GCM_16-128/MODP_2048");
            });
            assertThat(settled).as("strongSwan's CHILD_SAs match ours after the rekey: ours %s%n%s%n--- causeway ---%n%s",
                    currentOutboundSpis(west), east.listSas(), west.log()).isTrue();
            assertThat(west.tunnel().get("state")).isEqualTo("CONNECTED");
        }
    }

    @Test
    void causewayRekeysIkeSaAndChildSaUnderContinuousPing() throws Exception {
        // strongSwan's own rekey times stay at their defaults (4 h, 1 h): every rekey here is Causeway's
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes128gcm16").build());
                // rekeyfuzz=0%: CHILD_SA rekeys at 5 s and 10 s, the IKE SA at ikelifetime - margintime = 9 s
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-modp2048!").set("esp", "aes128gcm16!")
                        .set("ikelifetime", "14s").set("lifetime", "10s").set("margintime", "5s")
                        .set("rekeyfuzz", "0%").set("reauth", "no"))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstIkeSpi = (String) ike(up).get("spi_i");
            String firstOut = (String) children(up).get(0).get("spi_out");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();

            Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 60, Duration.ofMillis(200),
                    Duration.ofSeconds(16));

            String swanLog = east.log();
            assertThat(ping.received()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, west.log(), swanLog)
                    .isEqualTo(ping.transmitted());
            assertThat(count(CHILD_REKEY, swanLog)).as("CHILD_SA rekeys by Causeway:%n%s", swanLog).isGreaterThanOrEqualTo(1);
            assertThat(count(IKE_REKEY, swanLog)).as("IKE SA rekeys by Causeway:%n%s", swanLog).isGreaterThanOrEqualTo(1);
            assertThat(swanLog).contains("rekeyed between");
            Map<String, Object> now = west.tunnel();
            assertThat(now.get("state")).isEqualTo("CONNECTED");
            assertThat(ike(now).get("spi_i")).as("we initiated the new IKE SA").isNotEqualTo(firstIkeSpi);
            assertThat(children(now)).noneMatch(c -> firstOut.equals(c.get("spi_out")));
            // strongSwan holds the new IKE SA (its unique id counts up) and the old one is gone
            boolean onlyNewIkeSa = Poll.until(DEADLINE, () -> {
                SwanSas sas = east.sas();
                return sas.ikeSas().size() == 1 && sas.ikeSas().get(0).uniqueId() > 1 && sas.anyEstablished();
            });
            assertThat(onlyNewIkeSa).as("strongSwan keeps only the rekeyed IKE SA:%n%s", east.listSas()).isTrue();
        }
    }

    @Test
    void causewayRekeysChildSaByBytesUnderFastPing() throws Exception {
        // strongSwan's lifetimes stay at their defaults (1 h, no byte limit): the rekey is Causeway's
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build());
                // rekeyfuzz=0%: rekeyed once a direction of the CHILD_SA counted 100000 bytes, deleted at 200000
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                        .set("lifebytes", "200000").set("marginbytes", "100000").set("rekeyfuzz", "0%"))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstOut = (String) children(up).get(0).get("spi_out");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();

            // 180 packets of 1028 bytes each way in 3.6 s: the soft limit is reached after 98, about 2 s in, where the
            // data plane reports it and the engine rekeys; neither SA can reach a second limit
            Ping.Result ping = Ping.parse(t.west().exec(Duration.ofSeconds(40), "ping", "-n", "-q", "-4",
                    "-I", t.westHostV4(), "-s", "1000", "-c", "180", "-i", "0.02", "-w", "20", t.eastHostV4()).stdout());

            assertThat(ping.transmitted()).as("%s", ping.output()).isEqualTo(180);
            assertThat(ping.received()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, west.log(), east.log())
                    .isEqualTo(ping.transmitted());
            boolean settled = Poll.until(DEADLINE, () -> {
                List<String> ours = currentOutboundSpis(west);
                return ours.size() == 1 && !ours.contains(firstOut) && ours.equals(swanInboundSpis(east.listSas()));
            });
            assertThat(settled).as("one new CHILD_SA on both sides: ours %s%n%s%n--- causeway ---%n%s",
                    currentOutboundSpis(west), east.listSas(), west.log()).isTrue();
            Map<String, Object> now = west.tunnel();
            assertThat(now.get("state")).isEqualTo("CONNECTED");
            assertThat(((Number) children(now).get(0).get("packets_out")).longValue())
                    .as("the pings moved to the new CHILD_SA while they ran").isPositive();
            String swanLog = east.log();
            assertThat(count(CHILD_REKEY, swanLog)).as("CHILD_SA rekeys by Causeway:%n%s", swanLog).isEqualTo(1);
        }
    }

    @Test
    void causewayDeletesChildSaAtItsHardByteLimitAndNegotiatesANewOne() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build());
                // rekey=no: no soft limit; at 50000 bytes in a direction the data plane stops the SA and the engine
                // deletes it, and auto=start brings a new CHILD_SA on the same IKE SA
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                        .set("lifebytes", "50000").set("rekey", "no"))) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstOut = (String) children(up).get(0).get("spi_out");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).isTrue();

            // 100 pings of 1028 bytes: the 49th request or reply reaches the hard limit
            t.west().exec(Duration.ofSeconds(40), "ping", "-n", "-q", "-4", "-I", t.westHostV4(), "-s", "1000",
                    "-c", "100", "-i", "0.02", "-w", "20", t.eastHostV4());

            boolean replaced = Poll.until(DEADLINE, () -> {
                List<String> ours = currentOutboundSpis(west);
                return ours.size() == 1 && !ours.contains(firstOut) && ours.equals(swanInboundSpis(east.listSas()));
            });
            assertThat(replaced).as("a new CHILD_SA on both sides: ours %s%n%s%n--- causeway ---%n%s",
                    currentOutboundSpis(west), east.listSas(), west.log()).isTrue();
            assertThat(west.tunnel().get("state")).isEqualTo("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
            String swanLog = east.log();
            assertThat(count(CHILD_REKEY, swanLog)).as("no rekey with rekey=no:%n%s", swanLog).isZero();
            assertThat(west.log()).contains("reached HARD_BYTES");
        }
    }

    /**
     * charon crashes and comes back before Causeway (no DPD configured) notices: the new charon initiates with
     * INITIAL_CONTACT (RFC 7296 2.4), and Causeway, the responder, forgets the old IKE SA and its CHILD_SA.
     */
    @Test
    void restartedStrongSwanReplacesOurSasThroughInitialContact() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("auto", "add")
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .remoteAddrs(t.westOuterV4()).startAction("start").build())) {
            Map<String, Object> first = west.awaitState("CONNECTED");
            Map<String, Object> firstIke = ike(first);
            Map<String, Object> firstChild = children(first).get(0);
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();

            east.kill();
            try (StrongSwan again = east.restart()) {
                // start_action=start: the new charon initiates as soon as its config is loaded
                Map<String, Object> back = west.awaitTunnel("CONNECTED on the new IKE SA alone", DEADLINE, tunnel ->
                        "CONNECTED".equals(tunnel.get("state")) && !firstIke.get("spi_i").equals(ike(tunnel).get("spi_i"))
                                && children(tunnel).size() == 1
                                && !firstChild.get("spi_in").equals(children(tunnel).get(0).get("spi_in")));
                assertThat(ike(back).get("spi_r")).isNotEqualTo(firstIke.get("spi_r"));
                assertThat(children(back).get(0).get("spi_out")).isNotEqualTo(firstChild.get("spi_out"));
                assertThat(west.log()).as("the old CHILD_SA left the data plane")
                        .contains("CHILD_SA in " + firstChild.get("spi_in") + " out " + firstChild.get("spi_out") + " removed");
                again.waitEstablished(DEADLINE);
                assertThat(again.log()).as("strongSwan's IKE_AUTH").containsPattern(SENT_INITIAL_CONTACT);

                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s%n%s%n%s", ping, west.log(), again.log()).isTrue();
                Map<String, Object> after = west.tunnel();
                assertThat(ike(after).get("spi_i")).isEqualTo(ike(back).get("spi_i"));
                assertThat(children(after)).singleElement()
                        .satisfies(c -> assertThat(c.get("spi_in")).isEqualTo(children(back).get(0).get("spi_in")));
                assertThat(again.sas().ikeSas()).hasSize(1);
            }
        }
    }

    /** dpdaction=clear: the tunnel goes DOWN naming the dead peer, and its routes go with the CHILD_SA. */
    @Test
    void deadPeerIsClearedWhenCharonIsKilled() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, dpdConn(t, "clear"), FAST_RETRANSMIT)) {
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
            assertThat(routeTo(t, Topology.EAST_SUBNET_V4)).as("route through the tunnel").contains("dev");

            east.kill();

            Map<String, Object> down = west.awaitState("DOWN", DEAD_PEER_DEADLINE);
            assertThat((String) down.get("last_error"))
                    .isEqualTo("peer " + t.eastOuterV4() + " did not answer DPD (dead peer)");
            assertThat(children(down)).isEmpty();
            assertThat(routeTo(t, Topology.EAST_SUBNET_V4)).as("route to the remote subnet after clear").isBlank();
            assertThat(west.tunnel().get("state")).as("clear does not initiate again").isEqualTo("DOWN");
        }
    }

    /**
     * dpdaction=restart: charon comes back at once with the same config but none of the old SAs, so Causeway's DPD
     * on the old IKE SA goes unanswered; once that is declared dead Causeway initiates again and traffic flows.
     */
    @Test
    void deadPeerIsRestartedWhenCharonIsKilledAndComesBack() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build());
                LabGateway west = LabGateway.start(t.west(), prefix, dpdConn(t, "restart"), FAST_RETRANSMIT)) {
            Map<String, Object> up = west.awaitState("CONNECTED");
            String firstIkeSpi = (String) ike(up).get("spi_i");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();

            long killed = System.nanoTime();
            east.kill();
            try (StrongSwan again = east.restart()) {
                // the old IKE SA is given up once its DPD exchange has run out of retransmissions
                Poll.until(DEAD_PEER_DEADLINE, Duration.ofMillis(50),
                        () -> west.log().contains("did not answer DPD (dead peer)"));
                Duration noticed = Duration.ofNanos(System.nanoTime() - killed);
                Map<String, Object> back = west.awaitTunnel("CONNECTED with a new IKE SA", DEAD_PEER_DEADLINE,
                        tunnel -> "CONNECTED".equals(tunnel.get("state")) && !firstIkeSpi.equals(ike(tunnel).get("spi_i")));
                Duration restored = Duration.ofNanos(System.nanoTime() - killed);
                assertThat(children(back)).hasSize(1);
                assertThat(west.log()).contains("did not answer DPD (dead peer)");
                assertThat(noticed).as("dead peer noticed within dpddelay + the retransmissions (2 s + 3 s), with room "
                        + "for a busy machine").isLessThanOrEqualTo(DPD_DELAY.plus(FAST_SCHEDULE).plusSeconds(5));
                System.out.printf(Locale.ROOT, "IkeLifecycleIT: charon killed: dead peer noticed after "
                        + "%d ms, CONNECTED again after %d ms%n", noticed.toMillis(), restored.toMillis());
                again.waitEstablished(DEADLINE);
                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
                Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 3);
                assertThat(ping.allReceived()).as("%s%n%s%n%s", ping, west.log(), again.log()).isTrue();
            }
        }
    }

    private static Conn dpdConn(Topology t, String action) {
        // dpdtimeout is what a user would write; IKEv2 ignores it (see DEAD_PEER_DEADLINE)
        return Conn.westToEast(t).set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                .set("dpdaction", action).set("dpddelay", DPD_DELAY.toSeconds() + "s").set("dpdtimeout", "6s");
    }

    private static String routeTo(Topology t, String subnet) {
        return t.west().ip("route", "show", subnet).stdout().strip();
    }

    private static List<String> currentOutboundSpis(LabGateway west) {
        try {
            return children(west.tunnel()).stream().map(c -> (String) c.get("spi_out")).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    /**
     * The inbound SPIs of strongSwan's INSTALLED CHILD_SAs, sorted: a CHILD_SA strongSwan replaced stays listed as
     * DELETED for a few seconds (its delete_rekeyed_delay) and is left out.
     */
    static List<String> swanInboundSpis(String listSas) {
        List<String> spis = new ArrayList<>();
        boolean installed = false;
        for (String line : listSas.split("\n")) {
            Matcher child = SWAN_CHILD.matcher(line);
            if (child.find()) {
                installed = child.group(1).equals("INSTALLED");
                continue;
            }
            Matcher in = SWAN_INBOUND_SPI.matcher(line);
            if (in.find() && installed) {
                spis.add(in.group(1));
            }
        }
        spis.sort(null);
        return spis;
    }

}
