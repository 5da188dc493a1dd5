package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.export.ConnectionExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `causeway export`: reads the files itself (no daemon), prints the peer's side, the key only when asked. */
class ExportCliTest {
    private static final String KEY = "export cli test key, not a secret";

    @TempDir Path dir;
    private Path conf;
    private Path secrets;


    @BeforeEach
    void files() throws Exception {
        conf = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn office", "  left=192.0.2.1", "  leftid=@gw.example", "  leftsubnet=10.1.0.0/24",
                "  right=198.51.100.7", "  rightid=@branch.example", "  rightsubnet=10.2.0.0/24", "  authby=secret",
                "  keyexchange=ikev2", "  ike=aes256-sha256-modp2048!", "  esp=aes256gcm16!", "  auto=add", ""));
        secrets = Files.writeString(dir.resolve("ipsec.secrets"), "@gw.example @branch.example : PSK \"" + KEY + "\"\n");
    }

    private CliRun export(String... options) {
        String[] args = new String[options.length + 5];
        args[0] = "export";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = "--config";
        args[options.length + 2] = conf.toString();
        args[options.length + 3] = "--secrets";
        args[options.length + 4] = secrets.toString();
        return CliRun.of(args);
    }

    @Test
    void ipsecConfByDefaultWithTheKeyOnlyWhenAsked() {
        CliRun plain = export("office");
        CliRun withSecret = export("office", "--with-secret");

        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("conn office\n", "    left=%defaultroute\n", "    leftid=branch.example\n",
                "    right=192.0.2.1\n", "    rightsubnet=10.1.0.0/24\n", "    auto=start\n",
                ConnectionExport.IPSEC_SECRETS_MARKER, "PSK \"<the pre-shared key>\"").doesNotContain(KEY);
        assertThat(plain.err()).isEmpty();
        assertThat(withSecret.exit()).isZero();
        assertThat(withSecret.out()).endsWith("\nbranch.example gw.example : PSK \"" + KEY + "\"\n");
    }

    @Test
    void swanctlFormat() {
        CliRun r = export("office", "--format", "swanctl", "--with-secret");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("connections {\n", "remote_addrs = 192.0.2.1\n", "esp_proposals = aes256gcm16\n",
                "start_action = start\n", "secrets {\n", "secret = \"" + KEY + "\"\n");
    }

    @Test
    void unknownConnectionFormatOrBrokenConfigExitOneWithNothingOnStdout() throws Exception {
        CliRun name = export("nope");
        CliRun format = export("office", "--format", "xml");
        Files.writeString(conf, Files.readString(conf).replace("10.2.0.0/24", "10.2.0.0/33"));
        CliRun broken = export("office");

        assertThat(name.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err().strip()).isEqualTo("causeway: no connection named nope (connections: office)");
        assertThat(format.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(format.err()).contains("unknown --format xml (allowed: ipsec.conf, swanctl)");
        assertThat(broken.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(broken.err()).contains("rightsubnet: bad CIDR", "is not valid");
        assertThat(name.out() + format.out() + broken.out()).isEmpty();
    }

    @Test
    void exportNeedsANameOrAllButNotBoth() {
        CliRun neither = export();
        CliRun both = export("office", "--all");
        CliRun bothWithFormat = export("--all", "--format", "swanctl", "office");

        assertThat(neither.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.err()).contains("causeway: Error: Missing required argument", "(NAME | --all)",
                "Try 'causeway export --help'");
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("causeway: Error: NAME and --all are mutually exclusive");
        assertThat(bothWithFormat.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bothWithFormat.err()).contains("mutually exclusive");
        assertThat(neither.out() + both.out() + bothWithFormat.out()).isEmpty();
    }

    @Test
    void allWritesEveryConnectionAndSwanctlGroupsThemByIkeSa() throws Exception {
        // seed 003's shape: two more subnets to office's peer (one IKE SA with office), and a second peer
        Files.writeString(conf, Files.readString(conf) + String.join("\n",
                "conn office-2", "  also=office", "  leftsubnet=10.1.1.0/24", "  rightsubnet=10.2.1.0/24",
                "conn lab", "  left=192.0.2.1", "  leftsubnet=10.5.0.0/24", "  right=203.0.113.9",
                "  rightsubnet=10.6.0.0/24", "  authby=secret", "  keyexchange=ikev2", "  auto=add", ""));
        Files.writeString(secrets, "192.0.2.1 203.0.113.9 : PSK \"" + KEY + " lab\"\n", StandardOpenOption.APPEND);

        CliRun swanctl = export("--all", "--format", "swanctl", "--with-secret");
        CliRun conf = export("--all");
        CliRun group = export("office-2", "--format", "swanctl");

        assertThat(swanctl.exit()).as(swanctl.err()).isZero();
        assertThat(swanctl.out()).contains("\n    office {\n", "\n            office {\n", "\n            office-2 {\n",
                "\n    lab {\n", "\n            lab {\n", "\n    ike-office {\n", "\n    ike-lab {\n",
                "secret = \"" + KEY + "\"\n", "secret = \"" + KEY + " lab\"\n");
        assertThat(conf.exit()).as(conf.err()).isZero();
        assertThat(conf.out()).contains("\nconn office\n", "\nconn office-2\n", "\nconn lab\n",
                ConnectionExport.IPSEC_SECRETS_MARKER).doesNotContain(KEY);
        assertThat(group.exit()).as(group.err()).isZero();
        assertThat(group.out()).contains("\n    office {\n", "\n            office-2 {\n").doesNotContain("lab");
    }

    @Test
    void allOfAConfigurationWithoutConnectionsIsAnError() throws Exception {
        Files.writeString(conf, "config setup\n");

        CliRun r = export("--all");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).isEqualTo("causeway: the configuration has no connections to export");
        assertThat(r.out()).isEmpty();
    }
}
