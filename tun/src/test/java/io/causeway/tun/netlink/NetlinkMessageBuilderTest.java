package io.causeway.tun.netlink;

import static io.causeway.tun.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NetlinkMessageBuilderTest {

    @BeforeAll
    static void littleEndianHost() {
        // Expected bytes below are written for little-endian hosts (x86-64, aarch64).
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void routeRequestHasTheKernelsLayout() {
        // The request `ip route add 10.2.0.0/24 dev t0 src 10.9.0.1 mtu 1400` sends (strace
        // decode), with our table attribute and protocol static: nlmsghdr, rtmsg, rtattrs.
        byte[] msg = new NetlinkMessageBuilder(Rtnl.RTM_NEWROUTE,
                Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, 7)
                .rtmsg(Rtnl.AF_INET, 24, Rtnl.RT_TABLE_MAIN, Rtnl.RTPROT_STATIC, Rtnl.RT_SCOPE_LINK, Rtnl.RTN_UNICAST)
                .attrInt(Rtnl.RTA_TABLE, Rtnl.RT_TABLE_MAIN)
                .attr(Rtnl.RTA_DST, new byte[] {10, 2, 0, 0})
                .attrInt(Rtnl.RTA_OIF, 2)
                .attr(Rtnl.RTA_PREFSRC, new byte[] {10, 9, 0, 1})
                .beginNested(Rtnl.RTA_METRICS).attrInt(Rtnl.RTAX_MTU, 1400).endNested()
                .build();
        assertThat(msg).containsExactly(hex(
                "48000000 1800 0506 07000000 00000000",   // len 72, RTM_NEWROUTE, REQ|ACK|EXCL|CREATE, seq 7
                "02180000 fe04fd01 00000000",             // rtmsg: inet /24 main static link unicast
                "08000f00 fe000000",                      // RTA_TABLE 254
                "08000100 0a020000",                      // RTA_DST 10.2.0.0
                "08000400 02000000",                      // RTA_OIF 2
                "08000700 0a090001",                      // RTA_PREFSRC 10.9.0.1
                "0c000800 08000200 78050000"));           // RTA_METRICS { RTAX_MTU 1400 }
    }

    @Test
    void markRuleRequestIsWhatIpRuleSends() {
        // strace -xx of `ip -4 rule add not fwmark 4500 lookup 4500 pref 32765` (iproute2 on the
        // build machine, kernel 6.18): nlmsghdr, fib_rule_hdr, then FWMARK, TABLE, PRIORITY.
        byte[] msg = Netlink.ruleMessage(Rtnl.RTM_NEWRULE,
                Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, 9,
                new MarkRule(Netlink.AF_INET, 32765, 4500, true, 4500));
        assertThat(msg).containsExactly(hex(
                "34000000 2000 0506 09000000 00000000",   // len 52, RTM_NEWRULE, REQ|ACK|EXCL|CREATE, seq 9
                "02000000 00000001 02000000",             // inet, table UNSPEC (4500 > 255), TO_TBL, INVERT
                "08000a00 94110000",                      // FRA_FWMARK 4500
                "08000f00 94110000",                      // FRA_TABLE 4500
                "08000600 fd7f0000"));                    // FRA_PRIORITY 32765
    }

    @Test
    void smallTablesAlsoGoInTheHeaderAndANonInvertedRuleHasNoFlag() {
        byte[] msg = Netlink.ruleMessage(Rtnl.RTM_DELRULE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, 1,
                new MarkRule(Netlink.AF_INET6, 100, 0x10, false, 200));
        assertThat(java.util.Arrays.copyOfRange(msg, 16, 28)).containsExactly(hex("0a000000 c8000001 00000000"));
    }

    @Test
    void attributesArePaddedToFourBytesButTheirLengthIsNot() {
        byte[] msg = new NetlinkMessageBuilder(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST, 1)
                .ifinfomsg(Rtnl.AF_UNSPEC, 0, 0, 0)
                .attrString(Rtnl.IFLA_IFNAME, "cw10")      // 4 + 5 bytes -> 9, padded to 12
                .attrInt(Rtnl.IFLA_MTU, 1400)
                .build();
        int attrs = Rtnl.NLMSG_HDRLEN + Rtnl.IFINFOMSG_LEN;
        assertThat(msg).hasSize(attrs + 12 + 8);
        assertThat(msg[0]).isEqualTo((byte) msg.length);
        assertThat(msg[attrs]).isEqualTo((byte) 9);
        assertThat(new String(msg, attrs + 4, 4)).isEqualTo("cw10");
        assertThat(msg[attrs + 8]).isZero();                  // NUL terminator
        assertThat(msg[attrs + 9] | msg[attrs + 10] | msg[attrs + 11]).isZero(); // padding
        assertThat(msg[attrs + 12]).isEqualTo((byte) 8);      // next attribute starts aligned
        assertThat(msg[attrs + 14]).isEqualTo((byte) Rtnl.IFLA_MTU);
    }

    @Test
    void addressMessageCarriesPrefixFlagsAndIndex() {
        byte[] msg = new NetlinkMessageBuilder(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_REQUEST, 3)
                .ifaddrmsg(Rtnl.AF_INET6, 64, Rtnl.IFA_F_NODAD, 0, 5)
                .build();
        assertThat(msg).hasSize(Rtnl.NLMSG_HDRLEN + Rtnl.IFADDRMSG_LEN);
        assertThat(java.util.Arrays.copyOfRange(msg, 16, 24)).containsExactly(hex("0a400200 05000000"));
    }

    @Test
    void anUnclosedNestIsABug() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(Rtnl.RTM_NEWROUTE, 0, 1).beginNested(Rtnl.RTA_METRICS);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }
}
