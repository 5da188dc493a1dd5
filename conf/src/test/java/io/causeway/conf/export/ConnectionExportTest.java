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
import io.causeway.conf.connection.IkeGroup;
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

    /** seed 003's three SPD policies to one peer (one IKE SA), and a second peer between them in the file. */
    private static final String GROUPS = String.join("\n",
            "conn %default",
            "    keyexchange=ikev2",
            "    authby=psk",
            "    left=192.0.2.1",
            "    leftid=@gw.causeway.example",
            "    right=198.51.100.7",
            "    rightid=@idc.example",
            "    ike=aes128-sha256-modp2048!",
            "    auto=start",
            "conn spd1",
            "    leftsubnet=10.0.0.0/24",
            "    rightsubnet=192.168.0.0/24,192.168.1.0/24",
            "conn branch",
            "    right=203.0.113.9",
            "    rightid=@branch.example",
            "    leftsubnet=10.9.0.0/24",
            "    rightsubnet=172.16.0.0/24",
            "conn spd2",
            "    leftsubnet=10.0.1.0/24",
            "    rightsubnet=192.168.2.0/24",
            "    esp=aes256gcm16!",
            "conn spd3",
            "    leftsubnet=10.0.2.0/24",
            "    rightsubnet=192.168.2.0/24",
            "    lifetime=2h",
            "    auto=add",
            "");
    private static final String GROUP_SECRETS = "@gw.causeway.example @idc.example : PSK \"" + KEY + "\"\n"
            + "@gw.causeway.example @branch.example : PSK \"" + KEY + " 2\"\n";

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

    @Test
    void allInIpsecConfFormatLoadsBackAsEveryConnectionSwappedWithTheSameIkeGroups() throws ExportException {
        Config ours = load(GROUPS, GROUP_SECRETS);

        LoadResult peer = reload(ConnectionExport.exportAll(ours, ExportFormat.IPSEC_CONF, true));

        assertThat(peer.errors()).isEmpty();
        assertThat(peer.config().connections()).extracting(Connection::name)
                .containsExactly("spd1", "branch", "spd2", "spd3");
        for (Connection c : ours.connections()) {
            Connection e = peer.config().connection(c.name()).orElseThrow();
            Connection back = e.swapped();
            assertThat(back.left().subnets()).as(c.name()).isEqualTo(c.left().subnets());
            assertThat(back.right().subnets()).as(c.name()).isEqualTo(c.right().subnets());
            assertThat(back.left().host()).as(c.name()).isEqualTo(c.left().host());
            assertThat(e.right().id()).as(c.name()).isEqualTo(c.left().id());
            assertThat(e.esp()).as(c.name()).isEqualTo(c.esp());
            assertThat(e.lifetime()).as(c.name()).isEqualTo(c.lifetime());
            assertThat(key(peer.config(), e)).as(c.name()).isEqualTo(key(ours, c));
        }
        Connection spd1 = peer.config().connection("spd1").orElseThrow();
        assertThat(IkeGroup.shared(spd1, peer.config().connection("spd2").orElseThrow())).isTrue();
        assertThat(IkeGroup.shared(spd1, peer.config().connection("spd3").orElseThrow())).isTrue();
        assertThat(IkeGroup.shared(spd1, peer.config().connection("branch").orElseThrow())).isFalse();
    }

    @Test
    void swanctlWritesOneConnectionPerIkeSaWithAChildPerConnectionAndItsSecretOnce() throws ExportException {
        Config ours = load(GROUPS, GROUP_SECRETS);

        String group = export(ours, "spd3", ExportFormat.SWANCTL, true);
        String all = ConnectionExport.exportAll(ours, ExportFormat.SWANCTL, true);

        assertThat(group).isEqualTo(export(ours, "spd1", ExportFormat.SWANCTL, true))
                .contains("\n    spd1 {\n", "\n            spd1 {\n", "\n            spd2 {\n", "\n            spd3 {\n")
                .doesNotContain("branch");
        assertThat(occurrences(group, "proposals = aes128-sha256-modp2048\n")).as("IKE proposal once").isOne();
        assertThat(occurrences(group, "esp_proposals = ")).as("one per child").isEqualTo(3);
        assertThat(occurrences(group, "secret = ")).isOne();
        assertThat(group).contains("esp_proposals = aes256gcm16\n", "life_time = 2h\n", "start_action = start\n",
                "start_action = none\n", "The children start differently");
        assertThat(all).startsWith("# Peer side of every Causeway connection")
                .contains("\n    spd1 {\n", "\n    branch {\n", "\n            branch {\n",
                        "\n    ike-spd1 {\n", "\n    ike-branch {\n", "secret = \"" + KEY + " 2\"\n");
        assertThat(occurrences(all, "connections {")).isOne();
        assertThat(occurrences(all, "secrets {")).isOne();
        assertThat(occurrences(all, "secret = ")).isEqualTo(2);
        assertThat(export(ours, "branch", ExportFormat.SWANCTL, false))
                .startsWith("# Peer side of Causeway connection \"branch\", for strongSwan's swanctl.conf.")
                .doesNotContain("spd").doesNotContain("start differently");
    }

    @Test
    void ipsecConfOfAGroupMemberIsItsConnAloneAndNamesTheOthers() {
        Config ours = load(GROUPS, GROUP_SECRETS);

        String conf = export(ours, "spd2", ExportFormat.IPSEC_CONF, false);

        assertThat(occurrences(conf, "\nconn ")).isOne();
        assertThat(conf).contains("\nconn spd2\n", "it shares one IKE SA with \"spd1\" and \"spd3\"");
        assertThat(export(ours, "branch", ExportFormat.IPSEC_CONF, false)).doesNotContain("shares one IKE SA");
    }

    @Test
    void allNeedsAConnectionAndWithSecretAKeyForEveryIkeSa() {
        Config empty = load("config setup\n", "");
        // an entry for the peer's id alone serves the idc group and nothing of branch's (our loader reports that
        // too; export still works on what it loaded)
        Config branchWithoutKey = loadResult("ours", GROUPS, "@idc.example : PSK \"" + KEY + "\"\n").config();

        assertThatThrownBy(() -> ConnectionExport.exportAll(empty, ExportFormat.SWANCTL, false))
                .isInstanceOf(ExportException.class).hasMessage("the configuration has no connections to export");
        assertThatThrownBy(() -> ConnectionExport.exportAll(branchWithoutKey, ExportFormat.IPSEC_CONF, true))
                .isInstanceOf(ExportException.class).hasMessageContaining("no PSK")
                .hasMessageEndingWith(" of branch").hasMessageNotContaining(KEY);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
