package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secrets check the lab runs over every daemon's log and status output. */
class SecretScanTest {
    @TempDir
    Path dir;

    @Test
    void findsEveryPskOfASecretsFileAndNamesTheFileNotTheSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("ipsec.secrets"), "# a comment\n"
                + "a.example b.example : PSK \"quoted secret one\"\n"
                + "c.example : PSK 0x0123456789abcdef\n"
                + "d.example : PSK 'single-quoted-two'\n"
                + "e.example : PSK short\n");
        SecretScan scan = SecretScan.ofSecretsFile(file);
        assertThat(scan.size()).as("three PSKs and the hex digits of one; 'short' is too short").isEqualTo(4);
        assertThatCode(() -> scan.check("tunnel up, PSK from ipsec.secrets line 2", "a log")).doesNotThrowAnyException();
        assertThatThrownBy(() -> scan.check("oops: Quoted Secret One", "a log"))
                .hasMessageContaining("ipsec.secrets").hasMessageContaining("a log")
                .hasMessageNotContaining("quoted secret one");
        assertThatThrownBy(() -> scan.check("key 0123456789ABCDEF", "status")).hasMessageContaining("status");
        assertThatThrownBy(() -> scan.check("x single-quoted-two y", "status")).isInstanceOf(LabException.class);
    }

    @Test
    void findsTheKeysOfAStaticTunnelFile() throws Exception {
        Path file = Files.writeString(dir.resolve("west.properties"),
                "tun=cw0\nout.spi=0x1001\nout.key=0x00112233445566778899aabbccddeeff\n");
        SecretScan scan = SecretScan.ofKeyProperties(file);
        assertThat(scan.size()).isEqualTo(2);
        assertThatThrownBy(() -> scan.check("00112233445566778899AABBCCDDEEFF", "a log")).isInstanceOf(LabException.class);
        assertThatCode(() -> scan.check("spi 0x1001", "a log")).doesNotThrowAnyException();
    }

    @Test
    void findsASecretInAMetricsScrapeAndInTheMessageOfAnyExceptionInAChainWithoutRepeatingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("ipsec.secrets"), "a.example b.example : PSK \"scraped secret\"\n");
        SecretScan scan = SecretScan.ofSecretsFile(file);
        String scrape = "# TYPE causeway_tunnel_up gauge\ncauseway_tunnel_up{tunnel=\"s2s\"} 1.0\n";
        assertThatCode(() -> scan.check(scrape, "the metrics scrape of w")).doesNotThrowAnyException();
        assertThatThrownBy(() -> scan.check(scrape + "causeway_x{psk=\"scraped secret\"} 1\n", "the metrics scrape of w"))
                .hasMessageContaining("the metrics scrape of w").hasMessageNotContaining("scraped secret");

        RuntimeException clean = new RuntimeException("control thread busy", new java.io.IOException("timed out"));
        assertThatCode(() -> scan.checkThrown(clean, "status of w")).doesNotThrowAnyException();

        RuntimeException deepCause = new IllegalStateException("no status", new java.io.IOException("wrapped",
                new LabException("answer was {error=bad PSK scraped secret}")));
        assertThatThrownBy(() -> scan.checkThrown(deepCause, "status of w")).isInstanceOf(LabException.class)
                .hasMessageContaining("status of w").hasMessageContaining(LabException.class.getName())
                .hasMessageNotContaining("scraped secret").hasNoCause();

        AssertionError suppressedOne = new AssertionError("tunnel not CONNECTED");
        suppressedOne.addSuppressed(new RuntimeException("log: PSK \"SCRAPED SECRET\""));
        assertThatThrownBy(() -> scan.checkThrown(suppressedOne, "an assertion")).isInstanceOf(LabException.class)
                .satisfies(e -> assertThat(e.getMessage().toLowerCase()).doesNotContain("scraped secret"));

        // what an action throws is checked before it goes on; what it returns is the caller's to check
        assertThatThrownBy(() -> scan.guarded("a control request", () -> {
            throw new java.io.IOException("refused: scraped secret");
        })).isInstanceOf(LabException.class).hasMessageContaining("a control request");
        assertThatThrownBy(() -> scan.guardedUnchecked("a scrape", () -> {
            throw new LabException("curl: scraped secret");
        })).isInstanceOf(LabException.class).hasMessageContaining("a scrape").hasMessageNotContaining("curl");
        assertThatThrownBy(() -> scan.guarded("a control request", () -> {
            throw new java.io.IOException("refused");
        })).isInstanceOf(java.io.IOException.class).hasMessage("refused");
        assertThat(scan.guardedUnchecked("a scrape", () -> "ok")).isEqualTo("ok");
    }
}
