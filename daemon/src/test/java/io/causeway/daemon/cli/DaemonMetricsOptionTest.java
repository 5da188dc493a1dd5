package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `daemon --metrics`: a bad address is a usage error before anything starts; the help names the option. */
class DaemonMetricsOptionTest {
    @TempDir Path dir;

    @Test
    void aBadMetricsAddressIsAUsageErrorBeforeTheGatewayStarts() throws Exception {
        Path conf = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn office", "  left=192.0.2.1", "  right=198.51.100.7", "  authby=psk", "  keyexchange=ikev2", ""));
        Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), "192.0.2.1 198.51.100.7 : PSK \"k\"\n");

        CliRun r = CliRun.of("daemon", "--config", conf.toString(), "--secrets", secrets.toString(),
                "--socket", dir.resolve("s.sock").toString(), "--metrics", "127.0.0.1:70000");

        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--metrics", "HOST:PORT");
    }

    @Test
    void helpNamesTheMetricsOption() {
        CliRun r = CliRun.of("daemon", "--help");
        assertThat(r.out()).contains("--metrics=HOST:PORT", "Prometheus");
    }
}
