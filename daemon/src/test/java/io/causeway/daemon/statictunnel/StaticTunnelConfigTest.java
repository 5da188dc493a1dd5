package io.causeway.daemon.statictunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTunnelConfigTest {
    @TempDir Path dir;

    @Test
    void readsEveryKey() throws Exception {
        Path f = dir.resolve("west.properties");
        Files.writeString(f, String.join("\n",
                "local=192.0.2.1", "remote=192.0.2.2", "encap=esp",
                "local_ts=10.1.0.0/24, fd00:1::/64", "remote_ts=10.2.0.0/24",
                "suite=aes128gcm16", "spi_out=0xc0000001", "spi_in=3221225474",
                "key_out=00112233445566778899aabbccddeeff01020304",
                "key_in=ffeeddccbbaa99887766554433221100a1a2a3a4",
                "replay_window=1024", "tun=cw7", "socket=/tmp/x.sock", "workers=2"));

        StaticTunnelConfig c = StaticTunnelConfig.load(f);

        assertThat(c.udpEncap()).isFalse();
        assertThat(c.localTs()).containsExactly("10.1.0.0/24", "fd00:1::/64");
        assertThat(c.spiOut()).isEqualTo(0xc0000001);
        assertThat(c.spiIn()).isEqualTo(0xc0000002);
        assertThat(c.keyOut()).hasSize(20);
        assertThat(c.replayWindow()).isEqualTo(1024);
        assertThat(c.toString()).doesNotContain("00112233");
    }

    @Test
    void reportsEveryProblemWithoutEchoingKeys() throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, String.join("\n",
                "local=192.0.2.1", "colour=blue", "spi_out=12", "key_out=zz-secret-zz", "encap=gre"));

        assertThatThrownBy(() -> StaticTunnelConfig.load(f))
                .hasMessageContaining("colour: unknown key")
                .hasMessageContaining("encap: must be udp or esp")
                .hasMessageContaining("remote: missing")
                .hasMessageContaining("spi_out: SPI must be 256..0xffffffff")
                .hasMessageContaining("key_out: not hexadecimal")
                .message().doesNotContain("zz-secret-zz");
    }
}
