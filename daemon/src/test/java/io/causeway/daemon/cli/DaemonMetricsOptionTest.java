package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `daemon --metrics`: a bad address is a usage error before anything starts; the help names the option. */
class DaemonMetricsOptionTest {
    @TempDir Path dir;

    private static String[] runCapturingErr(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new String[] {Integer.toString(exit), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aBadMetricsAddressIsAUsageErrorBeforeTheGatewayStarts() throws Exception {
        Path conf = Files.writeString(dir.resolve("ipsec.conf"), String.join("\n",
                "conn office", "  left=192.0.2.1", "  right=198.51.100.7", "  authby=psk", "  keyexchange=ikev2", ""));
        Path secrets = Files.writeString(dir.resolve("ipsec.secrets"), "192.0.2.1 198.51.100.7 : PSK \"k\"\n");

        String[] r = runCapturingErr("daemon", "--config", conf.toString(), "--secrets", secrets.toString(),
                "--socket", dir.resolve("s.sock").toString(), "--metrics", "127.0.0.1:70000");

        assertThat(Integer.parseInt(r[0])).isEqualTo(ExitCodes.USAGE);
        assertThat(r[2]).contains("--metrics", "HOST:PORT");
    }

    @Test
    void helpNamesTheMetricsOption() {
        String[] r = runCapturingErr("daemon", "--help");
        assertThat(r[1]).contains("--metrics=HOST:PORT", "Prometheus");
    }
}
