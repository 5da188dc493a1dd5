package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.DEADLINE;
import static io.causeway.daemon.LabGateway.children;
import static io.causeway.daemon.LabGateway.ike;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Causeway's daemon against strongSwan 5.9.8 (charon with kernel-libipsec) in namespaces, beyond the basic
 * handshakes of {@link IkeDaemonIT}: proposal mismatches and the errors the user sees, several traffic
 * selectors in one CHILD_SA, AES-CBC/SHA-2 suites with Causeway as responder, directly and behind NAT, and
 * responder cookies.
 */
class IkeInteropIT extends StrongSwanTestBase {
    /** A second private subnet on each side, for several traffic selectors in one CHILD_SA. */
    private static final String WEST_SUBNET_2 = "10.11.0.0/24";
    private static final String WEST_HOST_2 = "10.11.0.1";
    private static final String EAST_SUBNET_2 = "10.22.0.0/24";
    private static final String EAST_HOST_2 = "10.22.0.1";

    @Test
    void ikeProposalMismatchIsPhase1FailedNamingWhatWeOffered() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes256gcm16-prfsha384-ecp384").espProposals("aes256gcm16").build());
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-modp2048!").set("esp", "aes128gcm16!"))) {
            Map<String, Object> failed = west.awaitState("PHASE1_FAILED");

            assertThat((String) failed.get("last_error")).as(west.log())
                    .isEqualTo("peer answered NO_PROPOSAL_CHOSEN to IKE_SA_INIT: we offered ike=aes128-sha256-modp2048!");
            assertThat(children(failed)).isEmpty();
            // strongSwan saw exactly our offer and refused it; nothing was established
            assertThat(east.log()).contains("received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
                    "N(NO_PROP)");
            assertThat(east.sas().ikeSas()).isEmpty();
        }
    }

    @Test
    void ikeProposalMismatchAsResponderNamesBothOffers() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("auto", "add")
                        .set("ike", "aes128-sha256-modp2048!").set("esp", "aes128gcm16!"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .remoteAddrs(t.westOuterV4())
                        .proposals("aes256gcm16-prfsha384-ecp384").espProposals("aes256gcm16").build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("strongSwan's initiation must fail").isFalse();
            Map<String, Object> failed = west.awaitState("PHASE1_FAILED");

            assertThat((String) failed.get("last_error")).as(west.log()).isEqualTo("peer " + t.eastOuterV4()
                    + " offered ike=[aes256gcm16-prfsha384-ecp384], none matches ours (ike=aes128-sha256-modp2048!);"
                    + " answered NO_PROPOSAL_CHOSEN");
            assertThat(east.log()).contains("received NO_PROPOSAL_CHOSEN notify error");
        }
    }

    @Test
    void espProposalMismatchIsPhase2FailedNamingWhatWeOffered() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .proposals("aes128-sha256-modp2048").espProposals("aes256-sha384").build());
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                        .set("ike", "aes128-sha256-modp2048!").set("esp", "aes128gcm16,aes128-sha256!"))) {
            Map<String, Object> failed = west.awaitState("PHASE2_FAILED");

            assertThat((String) failed.get("last_error")).as(west.log())
                    .isEqualTo("peer answered NO_PROPOSAL_CHOSEN for the CHILD_SA: we offered esp=aes128gcm16,aes128-sha256!");
            assertThat(children(failed)).isEmpty();
            assertThat(east.log()).contains("received proposals: ESP:AES_GCM_16_128/NO_EXT_SEQ, ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ",
                    "no acceptable proposal found");
            // RFC 7296 2.21.2: the authenticated IKE SA without its CHILD_SA is deleted by the initiator (us)
            assertThat(east.log()).contains("received DELETE for IKE_SA");
        }
    }

    @Test
    void twoSubnetsEachSideInOneChildSaCausewayInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addSecondSubnets(t);
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                            .localTs(Topology.EAST_SUBNET_V4 + "," + EAST_SUBNET_2)
                            .remoteTs(Topology.WEST_SUBNET_V4 + "," + WEST_SUBNET_2).build());
                    LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                            .set("leftsubnet", Topology.WEST_SUBNET_V4 + "," + WEST_SUBNET_2)
                            .set("rightsubnet", Topology.EAST_SUBNET_V4 + "," + EAST_SUBNET_2)
                            .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!"))) {
                Map<String, Object> up = west.awaitState("CONNECTED");
                assertOneChildWithBothSubnetPairs(up, east);
                pingEveryPair(t.west(), List.of(t.westHostV4(), WEST_HOST_2), List.of(t.eastHostV4(), EAST_HOST_2), west,
                        east);
                pingEveryPair(t.east(), List.of(t.eastHostV4(), EAST_HOST_2), List.of(t.westHostV4(), WEST_HOST_2), west,
                        east);
                assertOneChildWithBothSubnetPairs(west.tunnel(), east);
            }
        }
    }

    @Test
    void twoSubnetsEachSideInOneChildSaStrongSwanInitiating() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            addSecondSubnets(t);
            try (LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("auto", "add")
                            .set("leftsubnet", Topology.WEST_SUBNET_V4 + "," + WEST_SUBNET_2)
                            .set("rightsubnet", Topology.EAST_SUBNET_V4 + "," + EAST_SUBNET_2)
                            .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!"));
                    StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                            .remoteAddrs(t.westOuterV4())
                            .localTs(Topology.EAST_SUBNET_V4 + "," + EAST_SUBNET_2)
                            .remoteTs(Topology.WEST_SUBNET_V4 + "," + WEST_SUBNET_2).build())) {
                assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
                Map<String, Object> up = west.awaitState("CONNECTED");
                assertOneChildWithBothSubnetPairs(up, east);
                pingEveryPair(t.east(), List.of(t.eastHostV4(), EAST_HOST_2), List.of(t.westHostV4(), WEST_HOST_2), west,
                        east);
                pingEveryPair(t.west(), List.of(t.westHostV4(), WEST_HOST_2), List.of(t.eastHostV4(), EAST_HOST_2), west,
                        east);
            }
        }
    }

    @Test
    void strongSwanInitiatesAesCbcSha2ToCausewayResponder() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("auto", "add")
                        .set("ike", "aes256-sha384-ecp256!").set("esp", "aes256-sha256!"));
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .remoteAddrs(t.westOuterV4())
                        .proposals("aes256-sha384-ecp256").espProposals("aes256-sha256").build())) {
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
            Map<String, Object> up = west.awaitState("CONNECTED");

            assertThat(ike(up).get("proposal")).isEqualTo("aes256-sha384-ecp256");
            assertThat(children(up)).singleElement().satisfies(c -> assertThat(c.get("proposal")).isEqualTo("aes256-sha256"));
            assertThat(east.listSas()).contains("AES_CBC-256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_384/ECP_256",
                    "ESP:AES_CBC-256/HMAC_SHA2_256_128");
            assertPingsBothWays(t.east(), t.eastHostV4(), t.west(), t.westHostV4(), west, east);
        }
    }

    @Test
    void strongSwanBehindNatInitiatesAesCbcSha2ToCausewayResponder() throws Exception {
        // roles swapped: strongSwan runs in "west", behind the NAT, and Causeway answers on east's public address
        try (Topology t = Topology.create(prefix, true);
                LabGateway east = LabGateway.start(t.east(), prefix, Conn.eastFromAnywhere(t)
                        .set("ike", "aes256-sha384-ecp256!").set("esp", "aes256-sha256!"));
                StrongSwan west = StrongSwan.startAndLoad(t.west(), SwanctlConf.westInitiator(t)
                        .proposals("aes256-sha384-ecp256").espProposals("aes256-sha256").build())) {
            assertThat(west.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", west.log(), east.log()).isTrue();
            Map<String, Object> up = east.awaitState("CONNECTED");

            // east sees the NAT's outside address and answers ESP in UDP to it
            assertThat(up.get("remote")).isEqualTo(t.westPublicV4());
            assertThat(ike(up).get("nat")).isEqualTo(true);
            assertThat(children(up)).singleElement().satisfies(c -> {
                assertThat(c.get("proposal")).isEqualTo("aes256-sha256");
                assertThat(c.get("encap")).isEqualTo(true);
            });
            assertThat(west.log()).contains("local host is behind NAT");
            assertPingsBothWays(t.west(), t.westHostV4(), t.east(), t.eastHostV4(), east, west);
        }
    }

    /**
     * RFC 7296 2.6 with Causeway's hidden --cookie-threshold 1: a first IKE_SA whose IKE_AUTH never arrives (nftables
     * drops it at east; charon gives up after 2.8 s) stays half-open at Causeway, so charon's next IKE_SA_INIT is
     * answered with N(COOKIE), and charon's retry carrying the cookie is served.
     */
    @Test
    void strongSwanRetriesWithOurCookieWhileAnSaIsHalfOpen() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t).set("auto", "add")
                        .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!"), "--cookie-threshold", "1");
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t)
                        .remoteAddrs(t.westOuterV4()).build(), Map.of("retransmit_timeout", "1", "retransmit_tries", "1"))) {
            // charon moves to 4500 after IKE_SA_INIT (kernel-libipsec fakes NAT), so this drops IKE_AUTH only
            t.east().nft("table inet cw_drop_ike_auth {\n  chain out {\n    type filter hook output priority 0;"
                    + " policy accept;\n    udp dport 4500 drop\n  }\n}\n");
            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("IKE_AUTH dropped:%n%s", east.log()).isFalse();
            t.east().nft("delete table inet cw_drop_ike_auth\n");

            assertThat(east.initiate(SwanctlConf.DEFAULT_CHILD).ok()).as("%s%n%s", east.log(), west.log()).isTrue();
            west.awaitState("CONNECTED");

            String swanLog = east.log();
            assertThat(swanLog).as("the first IKE_SA_INIT needed no cookie, the second one did:%n%s", swanLog)
                    .containsOnlyOnce("parsed IKE_SA_INIT response 0 [ N(COOKIE) ]");
            assertPingsBothWays(t.east(), t.eastHostV4(), t.west(), t.westHostV4(), west, east);
        }
    }

    private static void addSecondSubnets(Topology t) {
        t.west().ip("addr", "add", WEST_HOST_2 + "/32", "dev", "lo");
        t.east().ip("addr", "add", EAST_HOST_2 + "/32", "dev", "lo");
    }

    /** One CHILD_SA on both sides, whose selectors hold both subnets of each side. */
    private static void assertOneChildWithBothSubnetPairs(Map<String, Object> tunnel, StrongSwan east) {
        assertThat(children(tunnel)).singleElement().satisfies(c -> {
            assertThat(c.get("local_ts")).isEqualTo(List.of(Topology.WEST_SUBNET_V4, WEST_SUBNET_2));
            assertThat(c.get("remote_ts")).isEqualTo(List.of(Topology.EAST_SUBNET_V4, EAST_SUBNET_2));
        });
        String listed = east.listSas();
        SwanSas sas = SwanSas.parse(listed);
        assertThat(sas.ikeSas()).singleElement().satisfies(ike -> assertThat(ike.children()).hasSize(1));
        assertThat(listed).contains("local  " + Topology.EAST_SUBNET_V4 + " " + EAST_SUBNET_2,
                "remote " + Topology.WEST_SUBNET_V4 + " " + WEST_SUBNET_2);
    }

    /** Two pings from each source to each destination, all through the one CHILD_SA. */
    private static void pingEveryPair(Netns from, List<String> sources, List<String> destinations, LabGateway causeway,
            StrongSwan swan) {
        assertThat(Ping.awaitReply(from, sources.get(0), destinations.get(0), DEADLINE))
                .as("first reply %s -> %s%n%s", sources.get(0), destinations.get(0), causeway.log()).isTrue();
        for (String source : sources) {
            for (String destination : destinations) {
                Ping.Result ping = Ping.run(from, source, destination, 2);
                assertThat(ping.allReceived()).as("%s -> %s: %s%n--- causeway ---%n%s%n--- strongSwan ---%n%s", source,
                        destination, ping, causeway.log(), swan.log()).isTrue();
            }
        }
    }

    private static void assertPingsBothWays(Netns a, String hostA, Netns b, String hostB, LabGateway causeway,
            StrongSwan swan) {
        assertThat(Ping.awaitReply(a, hostA, hostB, DEADLINE)).as("first reply%n%s", causeway.log()).isTrue();
        Ping.Result there = Ping.run(a, hostA, hostB, 3);
        Ping.Result back = Ping.run(b, hostB, hostA, 3);
        assertThat(there.allReceived() && back.allReceived()).as("%s / %s%n--- causeway ---%n%s%n--- strongSwan ---%n%s",
                there, back, causeway.log(), swan.log()).isTrue();
    }
}
