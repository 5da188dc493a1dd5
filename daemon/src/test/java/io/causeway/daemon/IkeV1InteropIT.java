package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import io.causeway.lab.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IKEv1 interop beyond {@link IkeV1IT}, against strongSwan 5.9.8 (charon with kernel-libipsec, which always
 * encapsulates ESP in UDP) in namespaces: seed 002's OpenWrt site-to-site configuration both ways, and tshark's
 * dissection of main, aggressive and quick mode (either side initiating) showing no malformed packet.
 */
class IkeV1InteropIT extends StrongSwanTestBase {
    /** Seed 002: the home (W)LAN behind the router, ACME's internal LAN and its DMZ of official addresses. */
    static final String HOME_LAN = "192.168.2.64/26";
    static final String HOME_HOST = "192.168.2.65";
    static final String ACME_LAN = "10.1.2.0/24";
    static final String ACME_LAN_HOST = "10.1.2.1";
    static final String ACME_DMZ = "66.77.88.192/26";
    static final String ACME_DMZ_HOST = "66.77.88.193";
    /** Seed 002's p1_proposal pre_g2_aes_sha1 and p2_proposal g2_aes_sha1 (pfs_group 2). */
    static final String SEED002_IKE = "aes128-sha1-modp1024";
    static final String SEED002_ESP = "aes128-sha1-modp1024";
    /** Seed 002's option 'pre_shared_key', written unquoted as in its ipsec.secrets. */
    static final String SEED002_PSK = "yourpasswordhere";
    /** The router's ipsec.secrets: seed 002's line with the bare id, the central side's address put in by the test. */
    static final String ROUTER_SECRETS = "bratwurst 7.7.7.7 : PSK " + SEED002_PSK + "\n";
    /** A second router's entry in the central side's secrets: the central side must pick bratwurst's by its id. */
    static final String OTHER_ROUTER_SECRET = "\"the key of another router\"";

    /**
     * Seed 002 as written for the router (conf/src/test/resources/seed002/ipsec.conf), with the lab's addresses:
     * aggressive mode from %defaultroute behind the NAT, leftid=bratwurst as a bare name, two tunnels sharing the
     * ISAKMP SA, phase 1 aes128-sha1-modp1024 and phase 2 aes128-sha1 with PFS group 2.
     */
    static String seed002RouterConf(Topology t) {
        return "conn acme-base\n"
                + "    keyexchange=ikev1\n"
                + "    aggressive=yes\n"
                + "    authby=psk\n"
                + "    left=%defaultroute\n"
                + "    leftid=bratwurst\n"
                + "    leftsubnet=" + HOME_LAN + "\n"
                + "    right=" + t.eastOuterV4() + "\n"
                + "    ike=" + SEED002_IKE + "\n"
                + "    esp=" + SEED002_ESP + "\n"
                + "    auto=ignore\n"
                + "\n"
                + "conn acme_lan\n"
                + "    also=acme-base\n"
                + "    rightsubnet=" + ACME_LAN + "\n"
                + "    auto=start\n"
                + "\n"
                + "conn acme_dmz\n"
                + "    also=acme-base\n"
                + "    rightsubnet=" + ACME_DMZ + "\n"
                + "    auto=start\n";
    }

    /** The central side for any router: right=%any, the router known by its id alone. */
    static String seed002CentralConf(Topology t) {
        return "conn acme-base\n"
                + "    keyexchange=ikev1\n"
                + "    aggressive=yes\n"
                + "    authby=psk\n"
                + "    left=" + t.eastOuterV4() + "\n"
                + "    right=%any\n"
                + "    rightid=bratwurst\n"
                + "    rightsubnet=" + HOME_LAN + "\n"
                + "    ike=" + SEED002_IKE + "!\n"
                + "    esp=" + SEED002_ESP + "!\n"
                + "    auto=ignore\n"
                + "\n"
                + "conn acme_lan\n"
                + "    also=acme-base\n"
                + "    leftsubnet=" + ACME_LAN + "\n"
                + "    auto=add\n"
                + "\n"
                + "conn acme_dmz\n"
                + "    also=acme-base\n"
                + "    leftsubnet=" + ACME_DMZ + "\n"
                + "    auto=add\n";
    }

    /**
     * swanctl.conf of one side of seed 002 (version 1, aggressive): one ISAKMP SA to the peer, children acme_lan and
     * acme_dmz. The secrets hold the lab PSK for bratwurst alone, and another router's key.
     */
    static String seed002Swanctl(boolean router, Topology t) {
        String local = router ? "%any" : t.eastOuterV4();
        String remote = router ? t.eastOuterV4() : "%any";
        String localId = router ? "bratwurst" : t.eastOuterV4();
        String remoteId = router ? t.eastOuterV4() : "bratwurst";
        return "connections {\n"
                + "  acme {\n"
                + "    version = 1\n"
                + "    aggressive = yes\n"
                + "    local_addrs = " + local + "\n"
                + "    remote_addrs = " + remote + "\n"
                + "    proposals = " + SEED002_IKE + "\n"
                + "    local {\n      auth = psk\n      id = " + localId + "\n    }\n"
                + "    remote {\n      auth = psk\n      id = " + remoteId + "\n    }\n"
                + "    children {\n"
                + swanChild("acme_lan", router ? HOME_LAN : ACME_LAN, router ? ACME_LAN : HOME_LAN)
                + swanChild("acme_dmz", router ? HOME_LAN : ACME_DMZ, router ? ACME_DMZ : HOME_LAN)
                + "    }\n"
                + "  }\n"
                + "}\n"
                + "secrets {\n"
                + "  ike-bratwurst {\n    id = bratwurst\n    secret = " + SEED002_PSK + "\n  }\n"
                + "  ike-other {\n    id = other.router\n    secret = " + OTHER_ROUTER_SECRET + "\n  }\n"
                + "}\n";
    }

    private static String swanChild(String name, String localTs, String remoteTs) {
        return "      " + name + " {\n"
                + "        local_ts = " + localTs + "\n"
                + "        remote_ts = " + remoteTs + "\n"
                + "        esp_proposals = " + SEED002_ESP + "\n"
                + "      }\n";
    }

    /** The hosts of seed 002's subnets: the home LAN on west (the router's side), ACME's LAN and DMZ on east. */
    static void addSeed002Hosts(Topology t) {
        t.west().ip("addr", "add", HOME_HOST + "/32", "dev", "lo");
        t.east().ip("addr", "add", ACME_LAN_HOST + "/32", "dev", "lo");
        t.east().ip("addr", "add", ACME_DMZ_HOST + "/32", "dev", "lo");
    }

    @Test
    void seed002CausewayRouterBehindNatToStrongSwanCentral() throws Exception {
        try (Topology t = Topology.create(prefix, true)) {
            addSeed002Hosts(t);
            try (StrongSwan central = StrongSwan.startAndLoad(t.east(), seed002Swanctl(false, t));
                    LabGateway router = LabGateway.startWithFiles(t.west(), prefix, seed002RouterConf(t),
                            ROUTER_SECRETS.replace("7.7.7.7", t.eastOuterV4()))) {
                Map<String, Object> lan = router.awaitState("acme_lan", "CONNECTED");
                Map<String, Object> dmz = router.awaitState("acme_dmz", "CONNECTED");
                for (Map<String, Object> tunnel : List.of(lan, dmz)) {
                    assertThat(tunnel.get("version")).isEqualTo("IKEv1");
                    assertThat(tunnel.get("local")).as("left=%defaultroute behind the NAT").isEqualTo(t.westOuterV4());
                    assertThat(ike(tunnel).get("proposal")).isEqualTo(SEED002_IKE);
                    assertThat(ike(tunnel).get("nat")).isEqualTo(true);
                    assertThat(children(tunnel)).singleElement().satisfies(c -> {
                        assertThat(c.get("proposal")).isEqualTo("aes128-sha1");
                        assertThat(c.get("encap")).isEqualTo(true);
                        assertThat(c.get("local_ts")).isEqualTo(List.of(HOME_LAN));
                    });
                }
                assertThat(children(lan).get(0).get("remote_ts")).isEqualTo(List.of(ACME_LAN));
                assertThat(children(dmz).get(0).get("remote_ts")).isEqualTo(List.of(ACME_DMZ));
                assertThat(ike(lan).get("spi_i")).as("both tunnels ride one ISAKMP SA").isEqualTo(ike(dmz).get("spi_i"));

                pingSeed002(t, t.west(), router, central);
                String log = central.log();
                assertThat(log).contains("parsed AGGRESSIVE request 0 [ SA KE No ID", "[bratwurst]");
                assertOneIsakmpSaWithBothTunnels(central, t.westPublicV4());
                // PFS group 2 in both quick modes
                assertThat(central.listSas()).contains("ESP:AES_CBC-128/HMAC_SHA1_96/MODP_1024");
                assertThat(router.log()).doesNotContain(SEED002_PSK);
            }
        }
    }

    @Test
    void seed002StrongSwanRouterBehindNatToCausewayCentral() throws Exception {
        try (Topology t = Topology.create(prefix, true)) {
            addSeed002Hosts(t);
            String secrets = "other.router : PSK " + OTHER_ROUTER_SECRET + "\n"
                    + "bratwurst : PSK " + SEED002_PSK + "\n";
            try (LabGateway central = LabGateway.startWithFiles(t.east(), prefix, seed002CentralConf(t), secrets);
                    StrongSwan router = StrongSwan.startAndLoad(t.west(), seed002Swanctl(true, t))) {
                assertThat(router.initiate("acme_lan").ok()).as("%s%n%s", router.log(), central.log()).isTrue();
                assertThat(router.initiate("acme_dmz").ok()).as("%s%n%s", router.log(), central.log()).isTrue();
                Map<String, Object> lan = central.awaitState("acme_lan", "CONNECTED");
                Map<String, Object> dmz = central.awaitState("acme_dmz", "CONNECTED");
                for (Map<String, Object> tunnel : List.of(lan, dmz)) {
                    assertThat(tunnel.get("remote")).as("the router as the NAT shows it").isEqualTo(t.westPublicV4());
                    assertThat(ike(tunnel).get("proposal")).isEqualTo(SEED002_IKE);
                    assertThat(ike(tunnel).get("initiator")).isEqualTo(false);
                    assertThat(ike(tunnel).get("nat")).isEqualTo(true);
                    assertThat(children(tunnel)).singleElement().satisfies(c -> {
                        assertThat(c.get("proposal")).isEqualTo("aes128-sha1");
                        assertThat(c.get("remote_ts")).isEqualTo(List.of(HOME_LAN));
                    });
                }
                assertThat(children(lan).get(0).get("local_ts")).isEqualTo(List.of(ACME_LAN));
                assertThat(children(dmz).get(0).get("local_ts")).isEqualTo(List.of(ACME_DMZ));
                assertThat(ike(lan).get("spi_r")).as("both tunnels ride one ISAKMP SA").isEqualTo(ike(dmz).get("spi_r"));

                pingSeed002(t, t.west(), central, router);
                assertThat(router.log()).contains("local host is behind NAT");
                assertOneIsakmpSaWithBothTunnels(router, t.eastOuterV4());
                assertThat(router.listSas()).contains("ESP:AES_CBC-128/HMAC_SHA1_96/MODP_1024");
            }
        }
    }

    /**
     * The router of seed 002 re-authenticating (ikelifetime 12 s, margintime 4 s added to acme-base: new aggressive
     * modes from behind the NAT at 8 s and 16 s) under 100 pings to ACME's LAN: none lost, both tunnels move to the
     * new ISAKMP SA, and one is left on each side.
     */
    @Test
    void seed002RouterReauthenticatesInAggressiveModeBehindNatUnderPing() throws Exception {
        try (Topology t = Topology.create(prefix, true)) {
            addSeed002Hosts(t);
            String conf = seed002RouterConf(t).replace("    auto=ignore\n",
                    "    auto=ignore\n    ikelifetime=12s\n    margintime=4s\n    rekeyfuzz=0%\n");
            try (StrongSwan central = StrongSwan.startAndLoad(t.east(), seed002Swanctl(false, t));
                    LabGateway router = LabGateway.startWithFiles(t.west(), prefix, conf,
                            ROUTER_SECRETS.replace("7.7.7.7", t.eastOuterV4()))) {
                String firstCookie = (String) ike(router.awaitState("acme_lan", "CONNECTED")).get("spi_i");
                router.awaitState("acme_dmz", "CONNECTED");
                assertThat(Ping.awaitReply(t.west(), HOME_HOST, ACME_LAN_HOST, DEADLINE)).as(router.log()).isTrue();

                Ping.Result ping = Ping.run(t.west(), HOME_HOST, ACME_LAN_HOST, 100, Duration.ofMillis(200),
                        Duration.ofSeconds(25));

                String swanLog = central.log();
                assertThat(ping.received()).as("%s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", ping, router.log(),
                        swanLog).isEqualTo(ping.transmitted());
                assertThat(ping.transmitted()).isEqualTo(100);
                assertThat(count(swanLog, "parsed AGGRESSIVE request 0 [ SA KE No ID")).as(swanLog).isGreaterThanOrEqualTo(3);
                boolean settled = Poll.until(DEADLINE, () -> {
                    try {
                        Map<String, Object> lan = router.tunnel("acme_lan");
                        Map<String, Object> dmz = router.tunnel("acme_dmz");
                        SwanSas sas = central.sas();
                        return "CONNECTED".equals(lan.get("state")) && "CONNECTED".equals(dmz.get("state"))
                                && ((Number) lan.get("ike_sas")).intValue() == 1
                                && ((Number) dmz.get("ike_sas")).intValue() == 1
                                && !firstCookie.equals(ike(lan).get("spi_i"))
                                && ike(lan).get("spi_i").equals(ike(dmz).get("spi_i"))
                                && children(lan).size() == 1 && children(dmz).size() == 1
                                && sas.ikeSas().size() == 1 && sas.ikeSas().get(0).children().size() == 2;
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(settled).as("both tunnels on one new ISAKMP SA:%n%s%n--- causeway ---%n%s", central.listSas(),
                        router.log()).isTrue();
                assertOneIsakmpSaWithBothTunnels(central, t.westPublicV4());
                pingSeed002(t, t.west(), router, central);
            }
        }
    }

    /** The NAT's new outside address once the router's changes (as after a PPPoE reconnect). */
    static final String NEW_NAT_OUTSIDE = "192.0.2.3";
    static final String NEW_ROUTER_INSIDE = "172.31.0.3";

    /**
     * Seed 002's reason for aggressive mode: the router's outside address changes. The strongSwan router goes away
     * (killed, as a reboot or reconnect), comes back behind a NAT that now shows it at another address, and initiates
     * again; Causeway, the central side, knows it by its id alone, so the new ISAKMP SA replaces the old one of the old
     * address with both tunnels, and traffic flows to the new address.
     */
    @Test
    void seed002RouterComingBackFromAnotherAddressReplacesItsOldSaAtCausewayCentral() throws Exception {
        try (Topology t = Topology.create(prefix, true)) {
            addSeed002Hosts(t);
            String secrets = "bratwurst : PSK " + SEED002_PSK + "\n";
            String routerConf = seed002Swanctl(true, t).replace("        esp_proposals = " + SEED002_ESP + "\n",
                    "        esp_proposals = " + SEED002_ESP + "\n        start_action = start\n");
            try (LabGateway central = LabGateway.startWithFiles(t.east(), prefix, seed002CentralConf(t), secrets);
                    StrongSwan router = StrongSwan.startAndLoad(t.west(), routerConf)) {
                Map<String, Object> lan = central.awaitState("acme_lan", "CONNECTED");
                central.awaitState("acme_dmz", "CONNECTED");
                assertThat(lan.get("remote")).isEqualTo(t.westPublicV4());
                String oldCookie = (String) ike(lan).get("spi_i");
                Map<String, Object> oldLan = children(lan).get(0);
                Map<String, Object> oldDmz = children(central.tunnel("acme_dmz")).get(0);
                pingSeed002(t, t.west(), central, router);

                router.kill();
                // the router's new address; the NAT shows new flows at its new outside address
                Netns nat = t.nat().orElseThrow();
                nat.ip("addr", "add", NEW_NAT_OUTSIDE + "/24", "dev", "ne");
                nat.nft("table inet causeway_lab_nat_new {\n  chain post {\n"
                        + "    type nat hook postrouting priority srcnat - 1; policy accept;\n"
                        + "    oifname \"ne\" ip saddr " + NEW_ROUTER_INSIDE + " snat ip to " + NEW_NAT_OUTSIDE + "\n"
                        + "  }\n}\n");
                t.west().ip("addr", "del", t.westOuterV4() + "/24", "dev", t.westInterface()); // takes the default route
                t.west().ip("addr", "add", NEW_ROUTER_INSIDE + "/24", "dev", t.westInterface());
                t.west().ip("route", "add", "default", "via", Topology.NAT_INSIDE_V4);
                try (StrongSwan again = router.restart()) {
                    boolean moved = Poll.until(DEADLINE, () -> {
                        try {
                            Map<String, Object> l = central.tunnel("acme_lan");
                            Map<String, Object> d = central.tunnel("acme_dmz");
                            return "CONNECTED".equals(l.get("state")) && "CONNECTED".equals(d.get("state"))
                                    && NEW_NAT_OUTSIDE.equals(l.get("remote")) && NEW_NAT_OUTSIDE.equals(d.get("remote"))
                                    && ((Number) l.get("ike_sas")).intValue() == 1
                                    && ((Number) d.get("ike_sas")).intValue() == 1
                                    && !oldCookie.equals(ike(l).get("spi_i"))
                                    && hasChildOtherThan(l, oldLan) && hasChildOtherThan(d, oldDmz);
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    assertThat(moved).as("both tunnels on the new ISAKMP SA from %s:%n%s%n%s%n--- causeway ---%n%s"
                            + "%n--- strongSwan ---%n%s", NEW_NAT_OUTSIDE, central.tunnel("acme_lan"),
                            central.tunnel("acme_dmz"), central.log(), again.log()).isTrue();
                    // strongSwan 5.9.8 sends no INITIAL-CONTACT in aggressive mode (main mode 5 carries it): Causeway
                    // replaces the old ISAKMP SA because the same peer id authenticated a new one, as for a
                    // re-authentication, adopting its IPsec SAs; the router's new quick modes then replace those. The
                    // adopted ones, to the old address, stay installed (not sending) until they expire: Causeway keeps
                    // an IPsec SA the peer's quick mode replaced until the peer deletes it, which a peer that lost it
                    // never does. Not asserted either way here (reported to the coordinator).
                    assertThat(again.log()).contains("generating AGGRESSIVE request 0 [ HASH NAT-D NAT-D ]");
                    pingSeed002(t, t.west(), central, again);
                    assertOneIsakmpSaWithBothTunnels(again, t.eastOuterV4());
                }
            }
        }
    }

    /** Whether the tunnel has an IPsec SA other than old (by inbound SPI). */
    private static boolean hasChildOtherThan(Map<String, Object> tunnel, Map<String, Object> old) {
        return children(tunnel).stream().anyMatch(c -> !old.get("spi_in").equals(c.get("spi_in")));
    }

    /** From the home LAN to ACME's LAN and DMZ, and back, each through its own tunnel. */
    private static void pingSeed002(Topology t, Netns home, LabGateway causeway, StrongSwan swan) {
        for (String acme : List.of(ACME_LAN_HOST, ACME_DMZ_HOST)) {
            assertThat(Ping.awaitReply(home, HOME_HOST, acme, DEADLINE)).as("first reply %s%n%s", acme, causeway.log())
                    .isTrue();
            Ping.Result there = Ping.run(home, HOME_HOST, acme, 3);
            Ping.Result back = Ping.run(t.east(), acme, HOME_HOST, 3);
            assertThat(there.allReceived() && back.allReceived()).as("%s: %s / %s%n--- causeway ---%n%s%n--- strongSwan ---%n%s",
                    acme, there, back, causeway.log(), swan.log()).isTrue();
        }
    }

    private static void assertOneIsakmpSaWithBothTunnels(StrongSwan swan, String peer) {
        String listed = swan.listSas();
        SwanSas sas = SwanSas.parse(listed);
        assertThat(sas.ikeSas()).as(listed).singleElement().satisfies(ike -> {
            assertThat(ike.version()).isEqualTo(1);
            assertThat(ike.established()).isTrue();
            assertThat(ike.children()).extracting(SwanSas.ChildSa::name).containsExactlyInAnyOrder("acme_lan", "acme_dmz");
            assertThat(ike.children()).allMatch(SwanSas.ChildSa::installed);
        });
        assertThat(listed).contains(peer);
    }
    /** IKE on both ports and ESP in UDP: everything the two peers exchange. */
    private static final String IKE_AND_ESP = "udp port 500 or udp port 4500";

    /**
     * tshark's dissection of one captured negotiation plus a few pings (Causeway initiating or strongSwan initiating,
     * main or aggressive mode): the unencrypted phase-1 messages are dissected payload by payload, the encrypted ones
     * (main mode 5 and 6, aggressive mode 3, quick mode, informational) as ISAKMP with encrypted data, none Malformed.
     */
    private Tshark.Report captureNegotiation(Topology t, boolean aggressive, boolean causewayInitiates, Path dir)
            throws Exception {
        String esp = aggressive ? "aes128-sha1-modp1024" : "aes128-sha1";
        String ikeProposal = aggressive ? "aes128-sha1-modp1024" : "aes256-sha256-modp2048";
        Conn conn = Conn.westToEast(t).set("keyexchange", "ikev1").set("ike", ikeProposal + "!").set("esp", esp + "!")
                .set("aggressive", aggressive ? "yes" : "no").set("auto", causewayInitiates ? "start" : "add");
        SwanctlConf swan = SwanctlConf.eastResponder(t).version(1).aggressive(aggressive).proposals(ikeProposal)
                .espProposals(esp);
        if (!causewayInitiates) {
            swan.remoteAddrs(t.westOuterV4());
        }
        Path pcap = dir.resolve((aggressive ? "aggressive" : "main") + (causewayInitiates ? "-cw" : "-swan")
                + ".pcap");
        try (Tshark.Capture capture = Tshark.capture(t.west(), t.westInterface(), pcap, 1000, IKE_AND_ESP);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), swan.build());
                LabGateway west = LabGateway.start(t.west(), prefix, conn)) {
            if (!causewayInitiates) {
                assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
            }
            west.awaitState("CONNECTED");
            assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), DEADLINE)).as(west.log()).isTrue();
            assertThat(Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 2).allReceived()).isTrue();
            capture.finish(Duration.ZERO);
        }
        return Tshark.analyze(pcap);
    }

    private static int count(String text, String line) {
        int n = 0;
        for (int at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void tsharkDissectsMainAndQuickModeWithoutMalformedPackets() throws Exception {
        for (boolean causewayInitiates : List.of(true, false)) {
            String who = causewayInitiates ? "Causeway initiating" : "strongSwan initiating";
            String d = dissect(false, causewayInitiates);
            // main mode 1-6, quick mode 1-3, nothing else (no retransmission, no informational)
            assertThat(count(d, "Internet Security Association and Key Management Protocol")).as(who).isEqualTo(9);
            assertThat(count(d, "Exchange type: Identity Protection (Main Mode) (2)")).as(who).isEqualTo(6);
            assertThat(count(d, "Exchange type: Quick Mode (32)")).as(who).isEqualTo(3);
            // main mode 1-4 in the clear, dissected payload by payload; 5, 6 and the quick mode encrypted, on 4500
            assertThat(count(d, "Encryption: Not encrypted")).as(who).isEqualTo(4);
            assertThat(count(d, "Encryption: Encrypted")).as(who).isEqualTo(5);
            assertThat(count(d, "    Encrypted Data (")).as(who).isEqualTo(5);
            assertThat(count(d, "    Non-ESP Marker")).as(who).isEqualTo(5);
            assertThat(count(d, "    Payload: Security Association (1)")).as(who).isEqualTo(2);
            assertThat(count(d, "Transform ID: KEY_IKE (1)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: Key Exchange (4)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: Nonce (10)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: NAT-D (RFC 3947) (20)")).as(who).isEqualTo(4);
            assertThat(count(d, "Vendor ID: RFC 3706 DPD (Dead Peer Detection)")).as(who).isGreaterThanOrEqualTo(2);
            assertThat(d).as(who).contains("Encryption Algorithm: AES-CBC (7)", "Key Length: 256",
                    "HASH Algorithm: SHA2-256 (4)", "Authentication Method: Pre-shared key (1)",
                    "Group Description: 2048 bit MODP group (14)", "Life Type: Seconds (1)");
        }
    }

    @Test
    void tsharkDissectsAggressiveAndQuickModeWithPfsWithoutMalformedPackets() throws Exception {
        for (boolean causewayInitiates : List.of(true, false)) {
            String who = causewayInitiates ? "Causeway initiating" : "strongSwan initiating";
            String d = dissect(true, causewayInitiates);
            // aggressive mode 1-3, quick mode 1-3 with PFS
            assertThat(count(d, "Internet Security Association and Key Management Protocol")).as(who).isEqualTo(6);
            assertThat(count(d, "Exchange type: Aggressive (4)")).as(who).isEqualTo(3);
            assertThat(count(d, "Exchange type: Quick Mode (32)")).as(who).isEqualTo(3);
            // messages 1 and 2 in the clear, dissected payload by payload; 3 and the quick mode encrypted, on 4500
            assertThat(count(d, "Encryption: Not encrypted")).as(who).isEqualTo(2);
            assertThat(count(d, "Encryption: Encrypted")).as(who).isEqualTo(4);
            assertThat(count(d, "    Encrypted Data (")).as(who).isEqualTo(4);
            assertThat(count(d, "    Non-ESP Marker")).as(who).isEqualTo(4);
            assertThat(count(d, "    Payload: Security Association (1)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: Key Exchange (4)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: Nonce (10)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: Identification (5)")).as(who).isEqualTo(2);
            assertThat(count(d, "    Payload: Hash (8)")).as("%s: the responder's HASH_R", who).isEqualTo(1);
            assertThat(count(d, "    Payload: NAT-D (RFC 3947) (20)")).as("%s: the responder's", who).isEqualTo(2);
            assertThat(d).as(who).contains("ID_FQDN: west.example", "ID_FQDN: east.example",
                    "Group Description: Alternate 1024-bit MODP group (2)", "Authentication Method: Pre-shared key (1)");
        }
    }

    /** Captures one negotiation and a few pings and returns tshark's dissection, failing on any Malformed frame. */
    private String dissect(boolean aggressive, boolean causewayInitiates) throws Exception {
        String who = causewayInitiates ? "Causeway initiating" : "strongSwan initiating";
        try (Topology t = Topology.create(prefix, false)) {
            Path dir = Files.createTempDirectory(prefix + "-pcap");
            try {
                Tshark.Report report = captureNegotiation(t, aggressive, causewayInitiates, dir);
                assertThat(report.hasErrors()).as("%s: %s", who, report).isFalse();
                assertThat(report.espPackets()).as("%s: the pings as ESP in UDP", who).isGreaterThanOrEqualTo(4);
                return report.dissection();
            } finally {
                LabGateway.deleteRecursively(dir);
            }
        }
    }
}
