package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTunnelSpecTest {

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }

    @Test
    void westAndEastAreMirrored() throws IOException {
        StaticTunnelSpec spec = StaticTunnelSpec.defaults().sockets("/tmp/t-west.sock", "/tmp/t-east.sock");
        Properties west = load(spec.west());
        Properties east = load(spec.east());

        assertThat(west.getProperty("local")).isEqualTo("192.0.2.1");
        assertThat(west.getProperty("remote")).isEqualTo("192.0.2.2");
        assertThat(east.getProperty("local")).isEqualTo("192.0.2.2");
        assertThat(east.getProperty("remote")).isEqualTo("192.0.2.1");
        assertThat(west.getProperty("local_ts")).isEqualTo("10.1.0.0/24,fd00:1::/64");
        assertThat(west.getProperty("remote_ts")).isEqualTo(east.getProperty("local_ts"));
        assertThat(east.getProperty("remote_ts")).isEqualTo(west.getProperty("local_ts"));
        assertThat(west.getProperty("spi_out")).isEqualTo("0xc0000001").isEqualTo(east.getProperty("spi_in"));
        assertThat(west.getProperty("spi_in")).isEqualTo("0xc0000002").isEqualTo(east.getProperty("spi_out"));
        assertThat(west.getProperty("key_out")).isEqualTo(east.getProperty("key_in"));
        assertThat(west.getProperty("key_in")).isEqualTo(east.getProperty("key_out"));
        assertThat(west.getProperty("key_out")).isNotEqualTo(west.getProperty("key_in"));
        assertThat(west.getProperty("socket")).isEqualTo("/tmp/t-west.sock");
        assertThat(east.getProperty("socket")).isEqualTo("/tmp/t-east.sock");
    }

    @Test
    void writesEveryContractKey() throws IOException {
        Properties west = load(StaticTunnelSpec.defaults().sockets("/tmp/w", "/tmp/e").west());

        assertThat(west.stringPropertyNames()).contains("name", "local", "remote", "local_port", "remote_port",
                "encap", "local_ts", "remote_ts", "suite", "spi_out", "spi_in", "key_out", "key_in", "replay_window",
                "esn", "mode", "tun", "socket", "workers");
        assertThat(west.getProperty("encap")).isEqualTo("udp");
        assertThat(west.getProperty("suite")).isEqualTo("aes128gcm16");
        assertThat(west.getProperty("local_port")).isEqualTo("4500");
        assertThat(west.getProperty("replay_window")).isEqualTo("32");
        assertThat(west.getProperty("esn")).isEqualTo("false");
        assertThat(west.getProperty("mode")).isEqualTo("tunnel");
        assertThat(west.getProperty("tun")).isEqualTo("cw0");
        assertThat(west.getProperty("workers")).isEqualTo("2");
    }

    @Test
    void aeadSuiteGetsKeyPlusSaltAndNoIntegrityKey() throws IOException {
        Properties west = load(StaticTunnelSpec.defaults().sockets("/tmp/w", "/tmp/e").west());

        assertThat(west.getProperty("key_out")).hasSize(2 * (16 + 4))
                .isEqualTo(StaticTunnelSpec.TEST_KEY_WEST_TO_EAST.substring(0, 40));
        assertThat(west.stringPropertyNames()).doesNotContain("integ_key_out", "integ_key_in");
    }

    @Test
    void classicSuiteGetsIntegrityKeysCrossed() throws IOException {
        StaticTunnelSpec spec = StaticTunnelSpec.defaults().sockets("/tmp/w", "/tmp/e").suite("aes256-sha256");
        Properties west = load(spec.west());
        Properties east = load(spec.east());

        assertThat(west.getProperty("key_out")).hasSize(64);
        assertThat(west.getProperty("integ_key_out")).hasSize(64).isEqualTo(east.getProperty("integ_key_in"));
        assertThat(west.getProperty("integ_key_in")).isEqualTo(east.getProperty("integ_key_out"));
    }

    @Test
    void rawEspAndExtraKeys(@TempDir Path dir) throws IOException {
        StaticTunnelSpec.Files files = StaticTunnelSpec.defaults().sockets("/tmp/w", "/tmp/e")
                .encap("esp").set("log_level", "debug").writeTo(dir);

        assertThat(files.westFile()).exists().hasFileName("west.properties");
        assertThat(files.eastFile()).exists().hasFileName("east.properties");
        assertThat(load(files.east()).getProperty("encap")).isEqualTo("esp");
        assertThat(load(files.west()).getProperty("log_level")).isEqualTo("debug");
    }

    @Test
    void rejectsUnknownSuitesAndEncapsulations() {
        assertThatThrownBy(() -> StaticTunnelSpec.defaults().suite("rc4-md5"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticTunnelSpec.defaults().encap("tcp"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreCutToTheSuite() {
        assertThat(StaticTunnelSpec.defaults().suite("aes256gcm16").sockets("/tmp/a", "/tmp/b").west())
                .contains("key_out=" + StaticTunnelSpec.TEST_KEY_WEST_TO_EAST.substring(0, 72) + "\n")
                .doesNotContain("integ_key_out");
        assertThat(StaticTunnelSpec.defaults().suite("3des-sha1").sockets("/tmp/a", "/tmp/b").west())
                .contains("key_out=" + StaticTunnelSpec.TEST_KEY_WEST_TO_EAST.substring(0, 48) + "\n")
                .contains("integ_key_out=" + StaticTunnelSpec.TEST_INTEG_KEY_WEST_TO_EAST.substring(0, 40) + "\n");
    }
}
