package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of DESIGN.md: output and exit codes, run in-process. */
class CliTest {
    @TempDir Path dir;


    @Test
    void checkConfigPrintsOneLinePerConnectionAndNoSecret() throws Exception {
        Path conf = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn office", "  left=192.0.2.1", "  leftsubnet=10.1.0.0/24", "  right=198.51.100.7",
                "  rightsubnet=10.2.0.0/24", "  authby=secret", "  keyexchange=ikev2", "  ike=aes256-sha256-modp2048!",
                "  esp=aes256gcm16!", "  auto=start", ""));
        Path secrets = Files.writeString(dir.resolve("ipsec.secrets"),
                "192.0.2.1 198.51.100.7 : PSK \"hunter2-very-secret\"\n");

        CliRun r = CliRun.of("check-config", "--config", conf.toString(), "--secrets", secrets.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("office: IKEv2, peer 198.51.100.7, 10.1.0.0/24 === 10.2.0.0/24")
                .contains("1 connection(s)").doesNotContain("hunter2");
    }

    @Test
    void checkConfigReportsEveryErrorWithFileLineAndKeyAndExitsOne() throws Exception {
        Path conf = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn broken", "  left=192.0.2.1", "  right=127.0.0.1", "  leftsubnet=10.0.0.0/33",
                "  rightsubnet=10.2.0.0/24", "  esp=aes129-sha1", "  authby=psk", "  colour=blue", ""));

        CliRun r = CliRun.of("check-config", "--config", conf.toString(), "--secrets", dir.resolve("none").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out())
                .contains(conf + ":3: right:")
                .contains(conf + ":4: leftsubnet: bad CIDR '10.0.0.0/33'")
                .contains(conf + ":6: esp: unknown algorithm 'aes129'")
                .contains(conf + ":8: colour: unknown key")
                .contains("authby:")
                .contains("configuration not valid");
    }

    @Test
    void statusWithoutDaemonExitsTwoWithOneLine() {
        CliRun r = CliRun.of("status", "--socket", dir.resolve("missing.sock").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("not running");
    }

    @Test
    void daemonRefusesAFragmentSizeTheEngineCannotUseBeforeStartingAnything() {
        CliRun r = CliRun.of("daemon", "--ike-fragment-size", "100", "--config", dir.resolve("none.conf").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--ike-fragment-size must be 256..65535");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(CliRun.of("check-config", "--frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void versionNamesTheProgram() {
        CliRun r = CliRun.of("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("causeway ");
    }
}
