package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SwanctlConfTest {

    @Test
    void writesSiteToSitePskConnection() {
        String conf = SwanctlConf.builder()
                .localAddrs("192.0.2.1").remoteAddrs("192.0.2.2")
                .localId("west.example").remoteId("east.example")
                .psk("s3cret")
                .proposals("aes128-sha256-ecp256").espProposals("aes128gcm16")
                .localTs("10.1.0.0/24,fd00:1::/64").remoteTs("10.2.0.0/24,fd00:2::/64")
                .startAction("start")
                .build();

        assertThat(conf).contains(
                "  s2s {\n    version = 2\n",
                "    local_addrs = 192.0.2.1\n",
                "    remote_addrs = 192.0.2.2\n",
                "    proposals = aes128-sha256-ecp256\n",
                "    local {\n      auth = psk\n      id = west.example\n    }\n",
                "    remote {\n      auth = psk\n      id = east.example\n    }\n",
                "      net {\n        local_ts = 10.1.0.0/24,fd00:1::/64\n        remote_ts = 10.2.0.0/24,fd00:2::/64\n",
                "        esp_proposals = aes128gcm16\n",
                "        start_action = start\n",
                "  ike-s2s {\n    id-local = west.example\n    id-remote = east.example\n    secret = \"s3cret\"\n");
        assertThat(conf).doesNotContain("aggressive", "dpd_delay", "encap", "fragmentation");
        assertThat(braceBalance(conf)).isZero();
    }

    @Test
    void topologyPresetsMirrorEachOther() {
        // no namespaces are created: the presets only read the topology's fixed addresses
        String west = SwanctlConf.builder().localAddrs(Topology.WEST_PUBLIC_V4).remoteAddrs(Topology.EAST_PUBLIC_V4)
                .localId("west.example").remoteId("east.example")
                .localTs(Topology.WEST_SUBNET_V4).remoteTs(Topology.EAST_SUBNET_V4).build();
        String east = SwanctlConf.builder().localAddrs(Topology.EAST_PUBLIC_V4).remoteAddrs("%any")
                .localId("east.example").remoteId("west.example")
                .localTs(Topology.EAST_SUBNET_V4).remoteTs(Topology.WEST_SUBNET_V4).build();

        assertThat(west).contains("local_ts = 10.1.0.0/24", "remote_ts = 10.2.0.0/24", "start_action = none");
        assertThat(east).contains("local_ts = 10.2.0.0/24", "remote_ts = 10.1.0.0/24", "remote_addrs = %any");
        assertThat(west).contains("secret = \"" + SwanctlConf.LAB_PSK + "\"");
    }

    @Test
    void ikev1AggressiveAndOptionalKeys() {
        String conf = SwanctlConf.builder().version(1).aggressive(true).dpdDelay("10s").encap(true)
                .fragmentation("yes").rekeyTime("0").childRekeyTime("5m").connection("v1").child("c1")
                .localId("a").remoteId("b").localTs("10.1.0.0/24").remoteTs("10.2.0.0/24").build();

        assertThat(conf).contains("  v1 {\n    version = 1\n    aggressive = yes\n", "dpd_delay = 10s",
                "encap = yes", "    fragmentation = yes\n", "    rekey_time = 0\n", "        rekey_time = 5m\n", "      c1 {\n", "  ike-v1 {\n");
    }

    @Test
    void secretWithQuoteIsWrittenAsHex() {
        String conf = SwanctlConf.builder().psk("a\"b").localId("a").remoteId("b").localTs("x").remoteTs("y")
                .build();

        assertThat(conf).contains("secret = 0x612262\n");
    }

    @Test
    void idsAndSelectorsAreRequired() {
        assertThatThrownBy(() -> SwanctlConf.builder().localId("a").remoteId("b").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("localTs");
    }

    private static int braceBalance(String text) {
        int balance = 0;
        for (char c : text.toCharArray()) {
            balance += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return balance;
    }
}
