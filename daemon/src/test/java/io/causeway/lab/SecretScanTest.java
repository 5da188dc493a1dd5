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
}
