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

    private Path transport(String... extra) throws Exception {
        Path f = dir.resolve("transport.properties");
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(
                "local=192.0.2.1", "remote=192.0.2.2", "mode=transport", "suite=aes128gcm16",
                "spi_out=0xc0000001", "spi_in=0xc0000002",
                "key_out=00112233445566778899aabbccddeeff01020304",
                "key_in=ffeeddccbbaa99887766554433221100a1a2a3a4"));
        lines.addAll(java.util.List.of(extra));
        Files.writeString(f, String.join("\n", lines));
        return f;
    }

    @Test
    void transportModeDefaultsItsSelectorsToTheTwoGatewaysAndItsMarkAndTable() throws Exception {
        StaticTunnelConfig c = StaticTunnelConfig.load(transport());

        assertThat(c.transportMode()).isTrue();
        assertThat(c.localTs()).containsExactly("192.0.2.1/32");
        assertThat(c.remoteTs()).containsExactly("192.0.2.2/32");
        assertThat(c.fwmark()).isEqualTo(4500);
        assertThat(c.routingTable()).isEqualTo(4500);
    }

    @Test
    void transportModeTakesNarrowerSelectorsAndOtherMarks() throws Exception {
        StaticTunnelConfig c = StaticTunnelConfig.load(transport(
                "local_ts=192.0.2.1/32[tcp]", "remote_ts=192.0.2.0/24", "fwmark=0xca5e", "routing_table=200"));

        assertThat(c.localTs()).containsExactly("192.0.2.1/32[tcp]");
        assertThat(c.fwmark()).isEqualTo(0xca5e);
        assertThat(c.routingTable()).isEqualTo(200);
    }

    @Test
    void transportSelectorsMustNameTheGatewaysThemselves() throws Exception {
        assertThatThrownBy(() -> StaticTunnelConfig.load(transport(
                "local_ts=10.1.0.0/24", "remote_ts=192.0.2.2/32", "fwmark=0", "routing_table=254")))
                .hasMessageContaining("local_ts: in transport mode the selectors must include the gateway's address 192.0.2.1")
                .hasMessageContaining("fwmark: transport mode needs a non-zero mark")
                .hasMessageContaining("routing_table: 0, 253 (default), 254 (main) and 255 (local)")
                .message().doesNotContain("remote_ts");
        assertThatThrownBy(() -> StaticTunnelConfig.load(transport("remote=2001:db8::2")))
                .hasMessageContaining("transport mode needs local and remote of one address family");
        assertThatThrownBy(() -> StaticTunnelConfig.load(transport("mode=beet")))
                .hasMessageContaining("mode: must be tunnel or transport");
    }
}
