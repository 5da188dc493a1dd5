package io.causeway.conf;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.net.IdType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SeedConfigsTest {

    @Test
    void seed004DownloadedConfigLoadsAsItIs() {
        LoadResult result = TestFiles.loadSeed("seed004");

        assertThat(result.errors()).isEmpty();
        assertThat(result.ok()).isTrue();
        Connection c = result.config().connection("ipsvpn_tunnel-MQcK-cVMR").orElseThrow();
        assertThat(c.ikeVersion()).isEqualTo(2);
        assertThat(c.acceptsAnyIkeVersion()).isFalse();
        assertThat(c.auto()).isEqualTo(AutoAction.START);
        assertThat(c.keyingTries()).isEqualTo(3);
        assertThat(c.ike()).hasSize(1);
        assertThat(c.ike().get(0).strict()).isTrue();
        assertThat(c.ike().get(0)).hasToString("aes128-sha1-modp1024");
        assertThat(c.esp().get(0).pfs()).isTrue();
        assertThat(c.ikeLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(c.lifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(c.dpdAction()).isEqualTo(DpdAction.HOLD);
        assertThat(c.dpdDelay()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.dpdTimeout()).isEqualTo(Duration.ofSeconds(13));
        assertThat(c.left().host()).isEqualTo("192.168.93.46");
        assertThat(c.right().id().type()).isEqualTo(IdType.IPV4_ADDR);
        assertThat(c.right().subnets()).extracting(Object::toString).containsExactly("10.0.192.0/20");
        assertThat(c.summary()).isEqualTo("ipsvpn_tunnel-MQcK-cVMR: IKEv2, peer 106.75.234.78, 172.16.1.0/24 === 10.0.192.0/20,"
                + " ike=aes128-sha1-modp1024!, esp=aes128-sha1-modp1024!, auto=start");
    }

    @Test
    void seed004QuirksAreWarnedAboutNotIgnoredSilently() {
        LoadResult result = TestFiles.loadSeed("seed004");

        assertThat(result.warnings()).extracting(Diagnostic::toString).contains(
                TestFiles.resource("seed004/ipsec.conf") + ":6: pfs: obsolete strongSwan setting, ignored as strongSwan 5 ignores it",
                TestFiles.resource("seed004/ipsec.conf") + ":8: keyexchange: not indented; taken as part of conn ipsvpn_tunnel-MQcK-cVMR"
                        + " (strongSwan expects settings indented under their section)",
                TestFiles.resource("seed004/ipsec.conf") + ":20: leftnexthop: obsolete strongSwan setting, ignored as strongSwan 5 ignores it");
        assertThat(result.warnings()).anyMatch(d -> d.key().equals("esp") && d.message().startsWith("modp1024 is weak"));
    }

    @Test
    void seed003SpdPoliciesSharingOnlyThePeerRangeAreAccepted() {
        LoadResult result = TestFiles.loadSeed("seed003");

        assertThat(result.errors()).isEmpty();
        assertThat(result.config().connections()).extracting(Connection::name).containsExactly("spd1", "spd2", "spd3");
        Connection spd1 = result.config().connection("spd1").orElseThrow();
        assertThat(spd1.ikeVersion()).isEqualTo(1);
        assertThat(spd1.right().subnets()).hasSize(2);
        assertThat(spd1.lifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void seed002AggressiveModeWithFqdnIdAndAlsoTemplate() {
        LoadResult result = TestFiles.loadSeed("seed002");

        assertThat(result.errors()).isEmpty();
        Connection lan = result.config().connection("acme_lan").orElseThrow();
        assertThat(lan.aggressive()).isTrue();
        assertThat(lan.left().defaultRoute()).isTrue();
        assertThat(lan.left().id().type()).isEqualTo(IdType.FQDN);
        assertThat(lan.left().id().value()).isEqualTo("bratwurst");
        assertThat(lan.right().subnets()).extracting(Object::toString).containsExactly("10.1.2.0/24");
        assertThat(result.config().connection("acme-base").orElseThrow().ignored()).isTrue();
        assertThat(result.config().activeConnections()).extracting(Connection::name).containsExactly("acme_lan", "acme_dmz");
    }

    @Test
    void seed001DualStackGcmAndHostnamePeer() {
        LoadResult result = TestFiles.loadSeed("seed001");

        assertThat(result.errors()).isEmpty();
        Connection c = result.config().connection("hcm03").orElseThrow();
        assertThat(c.right().address()).isEmpty();
        assertThat(c.right().hostname()).contains("vpngw-01.hcm03.example.net");
        assertThat(c.left().subnets()).extracting(Object::toString)
                .containsExactly("192.168.1.0/24", "192.168.2.0/24", "2001:db8:1::/48");
        assertThat(c.ike()).extracting(Object::toString)
                .containsExactly("aes256gcm16-prfsha384-ecp384", "aes256-sha256-modp2048");
        assertThat(c.esp().get(0).pfs()).isTrue();
        assertThat(result.config().setup().charonDebug()).contains("ike 1, knl 1");
        assertThat(result.config().secrets().lookup(c.left().id(), c.right().id()).orElseThrow().bytes())
                .isEqualTo("causeway".getBytes());
    }
}
