package io.causeway.tun.netlink;

import static io.causeway.tun.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parses replies captured from a Linux 6.18 kernel with {@code strace -e read=3} around
 * iproute2 in a scratch namespace (tun t0 = ifindex 2, 10.9.0.1/24, route 10.2.0.0/24 dev t0
 * src 10.9.0.1 mtu 1400).
 */
class NetlinkMessageTest {
    /** Reply to `ip route get 10.2.0.5`: RTM_NEWROUTE, 116 bytes. */
    static final byte[] ROUTE_GET_REPLY = hex(
            "74000000 18000000 3b04046b 6f1d0000",
            "02200000 fe000001 00020000",
            "08000f00 fe000000",             // RTA_TABLE main
            "08000100 0a020005",             // RTA_DST 10.2.0.5
            "08000400 02000000",             // RTA_OIF 2
            "08000700 0a090001",             // RTA_PREFSRC 10.9.0.1
            "0c000800 08000200 78050000",    // RTA_METRICS { RTAX_MTU 1400 }
            "08001900 00000000",             // RTA_UID 0
            "24000c00 02000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000");

    /** Reply to adding that route again: NLMSG_ERROR -EEXIST echoing the 64-byte request. */
    static final byte[] EEXIST_REPLY = hex(
            "54000000 02000000 3b04046b 721d0000",
            "efffffff",
            "40000000 18000506 3b04046b 00000000",
            "02180000 fe03fd01 00000000",
            "08000100 0a020000 08000700 0a090001 08000400 02000000 0c000800 08000200 78050000");

    /** Reply to `ip route add 10.2.0.1/24 dev t0`: -EINVAL with an extended-ACK message. */
    static final byte[] EINVAL_EXTACK_REPLY = hex(
            "6c000000 02000002 3d04046b 891d0000",
            "eaffffff",
            "2c000000 18000506 3d04046b 00000000",
            "02180000 fe03fd01 00000000",
            "08000100 0a020001 08000400 02000000",
            "2b000100 496e7661 6c696420 70726566 69782066 6f722067 6976656e 20707265",
            "66697820 6c656e67 74680000");

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void parsesACapturedRouteGetReply() throws Exception {
        assertThat(ROUTE_GET_REPLY).hasSize(116);
        assertThat(EEXIST_REPLY).hasSize(84);
        assertThat(EINVAL_EXTACK_REPLY).hasSize(108);
        List<NetlinkMessage> messages = NetlinkMessage.parseAll(ROUTE_GET_REPLY, ROUTE_GET_REPLY.length);
        assertThat(messages).hasSize(1);
        NetlinkMessage m = messages.get(0);
        assertThat(m.type()).isEqualTo(Rtnl.RTM_NEWROUTE);
        assertThat(m.seq()).isEqualTo(0x6b04043b);
        assertThat(m.payload().limit()).isEqualTo(116 - 16);

        RouteMessages.Lookup lookup = RouteMessages.lookup(m);
        assertThat(lookup).isEqualTo(new RouteMessages.Lookup(2, InetAddress.getByName("10.9.0.1"), null, 1400));

        Route route = RouteMessages.mainTableRoute(m);
        assertThat(route).isEqualTo(new Route(InetAddress.getByName("10.2.0.5"), 32, 2, null,
                InetAddress.getByName("10.9.0.1")));
    }

    @Test
    void parsesACapturedError() {
        NetlinkMessage m = NetlinkMessage.parseAll(EEXIST_REPLY, EEXIST_REPLY.length).get(0);
        assertThat(m.type()).isEqualTo(Rtnl.NLMSG_ERROR);
        assertThat(m.errorCode()).isEqualTo(-17);
        assertThat(m.extendedAckMessage()).isNull();
    }

    @Test
    void readsTheKernelsExplanationFromAnExtendedAck() {
        NetlinkMessage m = NetlinkMessage.parseAll(EINVAL_EXTACK_REPLY, EINVAL_EXTACK_REPLY.length).get(0);
        assertThat(m.errorCode()).isEqualTo(-22);
        assertThat(m.extendedAckMessage()).isEqualTo("Invalid prefix for given prefix length");
    }

    @Test
    void readsACappedExtendedAck() {
        // With NETLINK_CAP_ACK (as we set it) only the request's header is echoed; NLM_F_CAPPED says so.
        byte[] capped = hex(
                "2c000000 02000003 01000000 00000000",
                "eaffffff",
                "2c000000 18000506 01000000 00000000",
                "09000100 6f6f7073 00000000");              // NLMSGERR_ATTR_MSG "oops"
        capped[0] = (byte) capped.length;
        NetlinkMessage m = NetlinkMessage.parseAll(capped, capped.length).get(0);
        assertThat(m.extendedAckMessage()).isEqualTo("oops");
    }

    @Test
    void splitsSeveralMessagesAndStopsAtATruncatedOne() {
        byte[] two = new byte[EEXIST_REPLY.length + ROUTE_GET_REPLY.length];
        System.arraycopy(EEXIST_REPLY, 0, two, 0, EEXIST_REPLY.length);
        System.arraycopy(ROUTE_GET_REPLY, 0, two, EEXIST_REPLY.length, ROUTE_GET_REPLY.length);
        assertThat(NetlinkMessage.parseAll(two, two.length)).extracting(NetlinkMessage::type)
                .containsExactly(Rtnl.NLMSG_ERROR, Rtnl.RTM_NEWROUTE);
        assertThat(NetlinkMessage.parseAll(two, two.length - 1)).extracting(NetlinkMessage::type)
                .containsExactly(Rtnl.NLMSG_ERROR);
    }

    @Test
    void aRouteOfAnotherTableIsNotAMainTableRoute() {
        byte[] local = ROUTE_GET_REPLY.clone();
        local[16 + 4] = (byte) 255;          // rtm_table = local
        local[16 + 12 + 4] = (byte) 255;     // RTA_TABLE = local
        assertThat(RouteMessages.mainTableRoute(NetlinkMessage.parseAll(local, local.length).get(0))).isNull();
    }
}
