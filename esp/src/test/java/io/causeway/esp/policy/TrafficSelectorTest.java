package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TrafficSelectorTest {

    @Test
    void parsesPrefixesHostsAndProtocolPorts() throws Exception {
        TrafficSelector net = TrafficSelector.parse("10.1.0.77/24");
        assertThat(net.toString()).isEqualTo("10.1.0.0/24");
        assertThat(net.matches(InetAddress.getByName("10.1.0.200"), 17, 53)).isTrue();
        assertThat(net.matches(InetAddress.getByName("10.1.1.1"), 17, 53)).isFalse();

        TrafficSelector host = TrafficSelector.parse("192.168.1.5");
        assertThat(host.prefixLen()).isEqualTo(32);

        TrafficSelector v6 = TrafficSelector.parse("fd00:1:2:3::/64");
        assertThat(v6.matches(InetAddress.getByName("fd00:1:2:3:ffff::1"), 6, 80)).isTrue();
        assertThat(v6.matches(InetAddress.getByName("fd00:1:2:4::1"), 6, 80)).isFalse();
        assertThat(v6.matches(InetAddress.getByName("10.1.0.1"), 6, 80)).isFalse();

        TrafficSelector web = TrafficSelector.parse("0.0.0.0/0[tcp/80]");
        assertThat(web.matches(InetAddress.getByName("1.2.3.4"), 6, 80)).isTrue();
        assertThat(web.matches(InetAddress.getByName("1.2.3.4"), 6, 81)).isFalse();
        assertThat(web.matches(InetAddress.getByName("1.2.3.4"), 17, 80)).isFalse();
        assertThat(web.matches(InetAddress.getByName("1.2.3.4"), 6, -1)).as("fragment without ports").isFalse();

        TrafficSelector range = TrafficSelector.parse("fd00::/8[udp/1000-2000]");
        assertThat(range.protocol()).isEqualTo(17);
        assertThat(range.portFrom()).isEqualTo(1000);
        assertThat(range.portTo()).isEqualTo(2000);
        assertThat(range.toString()).isEqualTo("fd00::/8[17/1000-2000]");

        assertThat(TrafficSelector.parse("10.0.0.0/8[icmp]").protocol()).isEqualTo(1);
        assertThat(TrafficSelector.parse("::/0").matches(InetAddress.getByName("2001:db8::1"), 0, -1)).isTrue();
    }

    @Test
    void rejectsNonsenseWithAMessageNamingIt() {
        assertThatThrownBy(() -> TrafficSelector.parse("10.1.0.0/33")).hasMessageContaining("prefix length 33");
        assertThatThrownBy(() -> TrafficSelector.parse("gateway.example/24")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> TrafficSelector.parse("10.0.0.0/8[bogus]")).hasMessageContaining("unknown protocol 'bogus'");
        assertThatThrownBy(() -> TrafficSelector.parse("10.0.0.0/8[tcp/70000]")).hasMessageContaining("bad port '70000'");
        assertThatThrownBy(() -> TrafficSelector.parse("10.0.0.0/x")).hasMessageContaining("bad prefix length");
    }
}
