package io.causeway.conf.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.conf.Config;
import io.causeway.conf.ConfigLoader;
import io.causeway.conf.Diagnostic;
import io.causeway.conf.LoadResult;
import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.ConnType;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.connection.Fragmentation;
import io.causeway.conf.secrets.Psk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export written in ipsec.conf format and loaded back with our own ConfigLoader is the same connection seen
 * from the other gateway: swapped ends, the same proposals, lifetimes and DPD, the same key.
 */
class ConnectionExportTest {
    private static final String KEY = "export-test key, not a secret";

    @TempDir
    Path dir;

    private static final String OFFICE = String.join("\n",
            "conn office",
            "    keyexchange=ikev2",
            "    authby=psk",
            "    left=192.0.2.1",
            "    leftid=@gw.causeway.example",
            "    leftsubnet=10.1.0.0/24,2001:db8:1::/64",
            "    right=198.51.100.7",
            "    rightid=@branch.example",
            "    rightsubnet=10.2.0.0/24,10.3.0.0/16[tcp/443],2001:db8:2::/64",
            "    ike=aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048!",
            "    esp=aes256gcm16-ecp384,aes128-sha256-esn!",
            "    ikelifetime=8h",
            "    lifetime=2h",
            "    margintime=5m",
            "    rekeyfuzz=50%",
            "    dpdaction=restart",
            "    dpddelay=10s",
            "    dpdtimeout=60s",
            "    closeaction=hold",
            "    keyingtries=%forever",
            "    fragmentation=force",
            "    auto=add",
            "");

    private Config load(String conf, String secrets) {
        LoadResult r = loadResult("ours", conf, secrets);
        assertThat(r.errors()).as("our test config").isEmpty();
        return r.config();
    }

    private LoadResult loadResult(String name, String conf, String secrets) {
        try {
            Path d = Files.createDirectories(dir.resolve(name));
            return ConfigLoader.load(Files.writeString(d.resolve("ipsec.conf"), conf),
                    Files.writeString(d.resolve("ipsec.secrets"), secrets));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads an ipsec.conf-format export the way the peer would: the conn part and the secrets part in their files. */
    private LoadResult reload(String exported) {
        int marker = exported.indexOf(ConnectionExport.IPSEC_SECRETS_MARKER);
        assertThat(marker).as("secrets marker in%n%s", exported).isPositive();
        return loadResult("peer", exported.substring(0, marker), exported.substring(marker));
    }

    private static String export(Config config, String name, ExportFormat format, boolean withSecret) {
        try {
            return ConnectionExport.export(config, name, format, withSecret);
        } catch (ExportException e) {
            throw new AssertionError(e);
        }
    }

    private static Psk key(Config config, Connection c) {
        return config.secrets().lookup(c.left().id(), c.right().id()).orElseThrow();
    }

    @Test
    void ipsecConfRoundTripIsTheSwappedConnection() {
        Config ours = load(OFFICE, "@gw.causeway.example @branch.example : PSK \"" + KEY + "\"\n");
        Connection c = ours.connection("office").orElseThrow();

        LoadResult peer = reload(export(ours, "office", ExportFormat.IPSEC_CONF, true));

        assertThat(peer.errors()).isEmpty();
        Connection e = peer.config().connection("office").orElseThrow();
        Connection back = e.swapped(); // the peer's connection seen from our side again
        assertThat(back.left().id()).isEqualTo(c.left().id());
        assertThat(back.right().id()).isEqualTo(c.right().id());
        assertThat(back.left().subnets()).isEqualTo(c.left().subnets());
        assertThat(back.right().subnets()).isEqualTo(c.right().subnets());
        assertThat(back.left().host()).isEqualTo("192.0.2.1");
        assertThat(e.left().defaultRoute()).as("the peer's own address: whatever its default route has").isTrue();
        assertThat(e.ike()).isEqualTo(c.ike());
        assertThat(e.ike().get(0).strict()).isTrue();
        assertThat(e.esp()).isEqualTo(c.esp());
        assertThat(e.ikeLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(e.lifetime()).isEqualTo(Duration.ofHours(2));
        assertThat(e.margin()).isEqualTo(Duration.ofMinutes(5));
        assertThat(e.rekeyFuzzPercent()).isEqualTo(50);
        assertThat(e.dpdAction()).isEqualTo(DpdAction.RESTART);
        assertThat(e.dpdDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(e.dpdTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(e.closeAction()).isEqualTo(CloseAction.HOLD);
        assertThat(e.keyingTries()).isZero();
        assertThat(e.fragmentation()).isEqualTo(Fragmentation.FORCE);
        assertThat(e.type()).isEqualTo(ConnType.TUNNEL);
        assertThat(e.ikeVersion()).isEqualTo(2);
        assertThat(e.acceptsAnyIkeVersion()).isFalse();
        assertThat(e.reauth()).isFalse();
        assertThat(e.auto()).as("we only respond, so the peer starts").isEqualTo(AutoAction.START);
        assertThat(key(peer.config(), e)).isEqualTo(key(ours, c));
    }

    @Test
    void proposalsWithoutBangStayOpenToStrongSwansDefaults() {
        Config ours = load(OFFICE.replace("aes256-sha256-modp2048!", "aes256-sha256-modp2048")
                .replace("aes128-sha256-esn!", "aes128-sha256-esn"), ": PSK \"" + KEY + "\"\n");

        String conf = export(ours, "office", ExportFormat.IPSEC_CONF, false);
        Connection e = reload(conf).config().connection("office").orElseThrow();

        assertThat(conf).contains("ike=aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048\n");
        assertThat(e.ike()).isEqualTo(ours.connection("office").orElseThrow().ike());
        assertThat(e.ike().get(0).strict()).isFalse();
        assertThat(export(ours, "office", ExportFormat.SWANCTL, false))
                .contains("proposals = aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048,default\n")
                .contains("esp_proposals = aes256gcm16-ecp384,aes128-sha256-esn,default\n");
    }

    @Test
    void exactlyOneSideStartsTheTunnel() {
        for (String[] mapping : new String[][] {{"add", "start", "start"}, {"start", "add", "none"},
            {"route", "route", "trap"}, {"ignore", "start", "start"}}) {
            Config ours = load(OFFICE.replace("auto=add", "auto=" + mapping[0]), ": PSK \"" + KEY + "\"\n");

            Connection e = reload(export(ours, "office", ExportFormat.IPSEC_CONF, false)).config()
                    .connection("office").orElseThrow();
            String swanctl = export(ours, "office", ExportFormat.SWANCTL, false);

            assertThat(e.auto().keyword()).as("ours auto=%s", mapping[0]).isEqualTo(mapping[1]);
            assertThat(swanctl).as("ours auto=%s", mapping[0]).contains("start_action = " + mapping[2] + "\n");
        }
    }

    @Test
    void withoutWithSecretTheKeyIsNeverPrintedButItsPlaceIs() {
        Config ours = load(OFFICE, "# the office key\n@gw.causeway.example @branch.example : PSK \"" + KEY + "\"\n");

        for (ExportFormat format : ExportFormat.values()) {
            String text = export(ours, "office", format, false);
            assertThat(text).as(format.keyword()).doesNotContain(KEY)
                    .contains("<the pre-shared key>")
                    .contains(dir.resolve("ours/ipsec.secrets") + ":2");
        }
        assertThat(export(ours, "office", ExportFormat.IPSEC_CONF, false))
                .contains("# branch.example gw.causeway.example : PSK \"<the pre-shared key>\"");
    }

    @Test
    void aKeyThatCannotBeQuotedTravelsAsHex() {
        byte[] awkward = "quote \" and back\\slash # é".getBytes(StandardCharsets.UTF_8);
        String hex = java.util.HexFormat.of().formatHex(awkward);
        Config ours = load(OFFICE, "@gw.causeway.example @branch.example : PSK 0x" + hex + "\n");
        Connection c = ours.connection("office").orElseThrow();

        String conf = export(ours, "office", ExportFormat.IPSEC_CONF, true);
        LoadResult peer = reload(conf);

        assertThat(conf).contains(": PSK 0x" + hex + "\n");
        assertThat(export(ours, "office", ExportFormat.SWANCTL, true)).contains("secret = 0x" + hex + "\n");
        assertThat(key(peer.config(), peer.config().connection("office").orElseThrow())).isEqualTo(key(ours, c));
    }

    @Test
    void aResponderForAnyAddressExportsAPeerThatUsesItsOwn() {
        Config ours = load(String.join("\n", "conn roam", "    authby=psk", "    left=192.0.2.1",
                "    leftid=@gw.causeway.example", "    leftsubnet=10.1.0.0/24", "    right=%any",
                "    rightsubnet=10.9.0.0/24", "    auto=add", ""), "@gw.causeway.example : PSK \"" + KEY + "\"\n");

        String conf = export(ours, "roam", ExportFormat.IPSEC_CONF, true);
        LoadResult peer = reload(conf);

        assertThat(peer.errors()).isEmpty();
        Connection e = peer.config().connection("roam").orElseThrow();
        assertThat(conf).contains("Causeway accepts it from any address (right=%any)")
                .contains("no leftid: Causeway accepts any identity")
                .doesNotContain("leftid=")
                .contains("\ngw.causeway.example : PSK \"" + KEY + "\"\n");
        assertThat(e.left().id().isAny()).isTrue();
        assertThat(e.right().host()).isEqualTo("192.0.2.1");
        assertThat(e.auto()).isEqualTo(AutoAction.START);
        assertThat(key(peer.config(), e)).isEqualTo(key(ours, ours.connection("roam").orElseThrow()));
    }

    @Test
    void anAddressKnownOnlyAtRunTimeIsAPlaceholderThatDoesNotLoadUnedited() {
        Config ours = load(String.join("\n", "conn nat", "    authby=psk", "    left=%defaultroute",
                "    leftsubnet=10.1.0.0/24", "    right=203.0.113.9", "    rightsubnet=10.2.0.0/24",
                "    auto=start", ""), ": PSK \"" + KEY + "\"\n");

        String conf = export(ours, "nat", ExportFormat.IPSEC_CONF, true);
        LoadResult unedited = reload(conf);
        LoadResult edited = reload(conf.replace(PeerView.OUR_ADDRESS_PLACEHOLDER, "192.0.2.1"));

        assertThat(conf).contains("# EDIT: right is the Causeway gateway's public address")
                .contains("right=" + PeerView.OUR_ADDRESS_PLACEHOLDER + "\n")
                .contains("rightid=%any\n");
        assertThat(unedited.errors()).extracting(Diagnostic::key).containsExactly("right");
        assertThat(edited.errors()).isEmpty();
        Connection e = edited.config().connection("nat").orElseThrow();
        assertThat(e.right().id().isAny()).as("we send whatever our address is").isTrue();
        assertThat(e.left().id()).hasToString("203.0.113.9");
        assertThat(e.auto()).isEqualTo(AutoAction.ADD);
        assertThat(export(ours, "nat", ExportFormat.SWANCTL, false))
                .contains("remote_addrs = " + PeerView.OUR_ADDRESS_PLACEHOLDER + "\n");
    }

    @Test
    void aPrivateAddressOfOursIsFlaggedForTheNatCase() {
        Config ours = load(OFFICE.replace("left=192.0.2.1", "left=172.20.0.5"), ": PSK \"" + KEY + "\"\n");

        assertThat(export(ours, "office", ExportFormat.IPSEC_CONF, false))
                .contains("# CHECK: 172.20.0.5 is a private address.").contains("right=172.20.0.5\n");
        assertThat(export(ours, "office", ExportFormat.SWANCTL, false))
                .contains("# CHECK: 172.20.0.5 is a private address.").contains("remote_addrs = 172.20.0.5\n");
    }

    @Test
    void hostToHostTransportLeavesTheSelectorsDynamic() {
        Config ours = load(String.join("\n", "conn host", "    authby=psk", "    left=192.0.2.1", "    right=198.51.100.7",
                "    type=transport", "    rekey=no", "    lifebytes=1000000", "    marginbytes=100000",
                "    auto=route", ""), ": PSK \"" + KEY + "\"\n");
        Connection c = ours.connection("host").orElseThrow();

        String conf = export(ours, "host", ExportFormat.IPSEC_CONF, false);
        Connection e = reload(conf).config().connection("host").orElseThrow();
        String swanctl = export(ours, "host", ExportFormat.SWANCTL, false);

        assertThat(conf).doesNotContain("subnet=");
        assertThat(e.type()).isEqualTo(ConnType.TRANSPORT);
        assertThat(e.rekey()).isFalse();
        assertThat(e.lifeBytes()).isEqualTo(c.lifeBytes());
        assertThat(e.marginBytes()).isEqualTo(c.marginBytes());
        assertThat(e.left().id()).hasToString("198.51.100.7");
        assertThat(e.right().subnets()).extracting(Object::toString).containsExactly("192.0.2.1/32");
        assertThat(swanctl).doesNotContain("local_ts").doesNotContain("remote_ts").contains("mode = transport\n")
                .contains("rekey_bytes = 0\n").contains("life_bytes = 1000000\n");
    }

    @Test
    void unknownNameAndMissingKeyAreErrors() {
        // our own loader reports the missing key too; export still works on what it loaded
        Config ours = loadResult("ours", OFFICE, "@someone @else : PSK \"" + KEY + "\"\n").config();

        assertThatThrownBy(() -> ConnectionExport.export(ours, "nope", ExportFormat.IPSEC_CONF, false))
                .isInstanceOf(ExportException.class).hasMessage("no connection named nope (connections: office)");
        assertThatThrownBy(() -> ConnectionExport.export(ours, "office", ExportFormat.SWANCTL, true))
                .isInstanceOf(ExportException.class).hasMessageContaining("no PSK").hasMessageNotContaining(KEY);
        assertThat(export(ours, "office", ExportFormat.IPSEC_CONF, false))
                .contains("Causeway's ipsec.secrets has no key for these identities yet");
    }
}
