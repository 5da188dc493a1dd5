package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.policy.TrafficSelector;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrapTableTest {
    private final TrapTable table = new TrapTable();

    private static Trap trap(String name, String local, String remote) {
        return new Trap(name, List.of(TrafficSelector.parse(local)), List.of(TrafficSelector.parse(remote)), () -> {});
    }

    private static byte[] ipv4(String src, String dst) throws Exception {
        byte[] b = new byte[20];
        b[0] = 0x45;
        b[3] = 20;
        b[9] = 1;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, b, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, b, 16, 4);
        return b;
    }

    private static byte[] ipv6(String src, String dst) throws Exception {
        byte[] b = new byte[40];
        b[0] = 0x60;
        b[6] = 59; // no next header
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, b, 8, 16);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, b, 24, 16);
        return b;
    }

    @Test
    void matchesLocalToRemoteOnlyAndNothingWhenEmpty() throws Exception {
        assertThat(table.match(ipv4("10.1.0.1", "10.2.0.1"), 0, 20)).isNull();
        Trap s2s = trap("s2s", "10.1.0.0/24", "10.2.0.0/24");
        table.add(s2s);

        assertThat(table.match(ipv4("10.1.0.1", "10.2.0.1"), 0, 20)).isSameAs(s2s);
        assertThat(table.match(ipv4("10.2.0.1", "10.1.0.1"), 0, 20)).isNull(); // the other direction
        assertThat(table.match(ipv4("10.9.0.1", "10.2.0.1"), 0, 20)).isNull(); // source outside leftsubnet
        assertThat(table.match(ipv4("10.1.0.1", "10.2.0.1"), 0, 19)).isNull(); // truncated
        table.remove(s2s);
        assertThat(table.match(ipv4("10.1.0.1", "10.2.0.1"), 0, 20)).isNull();
    }

    @Test
    void theMostSpecificRemoteWins() throws Exception {
        Trap wide = trap("wide", "10.1.0.0/24", "10.0.0.0/8");
        Trap narrow = trap("narrow", "10.1.0.0/24", "10.2.0.0/24");
        table.add(wide);
        table.add(narrow);

        assertThat(table.match(ipv4("10.1.0.1", "10.2.0.9"), 0, 20)).isSameAs(narrow);
        assertThat(table.match(ipv4("10.1.0.1", "10.3.0.9"), 0, 20)).isSameAs(wide);
    }

    @Test
    void ipv6SelectorsMatchIpv6Packets() throws Exception {
        Trap v6 = trap("v6", "fd00:1::/64", "fd00:2::/64");
        table.add(v6);

        assertThat(table.match(ipv6("fd00:1::1", "fd00:2::1"), 0, 40)).isSameAs(v6);
        assertThat(table.match(ipv6("fd00:1::1", "fd00:3::1"), 0, 40)).isNull();
        assertThat(table.match(ipv4("10.1.0.1", "10.2.0.1"), 0, 20)).isNull();
    }
}
