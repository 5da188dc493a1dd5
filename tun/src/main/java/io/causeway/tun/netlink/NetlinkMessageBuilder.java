package io.causeway.tun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink request: nlmsghdr, a fixed family header (ifinfomsg, ifaddrmsg, rtmsg),
 * then rtattrs, each padded to 4 bytes. Netlink is in host byte order; addresses inside
 * attributes are in network order, as the kernel stores them.
 */
final class NetlinkMessageBuilder {
    private final ByteBuffer buf = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    private int nestStart = -1;

    NetlinkMessageBuilder(int type, int flags, int seq) {
        buf.putInt(0); // nlmsg_len, patched by build()
        buf.putShort((short) type);
        buf.putShort((short) flags);
        buf.putInt(seq);
        buf.putInt(0); // nlmsg_pid: 0, the kernel fills in our port
    }

    /** struct ifinfomsg { u8 family, pad; u16 type; s32 index; u32 flags; u32 change; } */
    NetlinkMessageBuilder ifinfomsg(int family, int index, int flags, int change) {
        buf.put((byte) family).put((byte) 0).putShort((short) 0);
        buf.putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; } */
    NetlinkMessageBuilder ifaddrmsg(int family, int prefixLen, int flags, int scope, int index) {
        buf.put((byte) family).put((byte) prefixLen).put((byte) flags).put((byte) scope);
        buf.putInt(index);
        return this;
    }

    /** struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; } */
    NetlinkMessageBuilder rtmsg(int family, int dstLen, int table, int protocol, int scope, int type) {
        buf.put((byte) family).put((byte) dstLen).put((byte) 0).put((byte) 0);
        buf.put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type);
        buf.putInt(0);
        return this;
    }

    /** struct fib_rule_hdr { u8 family, dst_len, src_len, tos, table, res1, res2, action; u32 flags; } */
    NetlinkMessageBuilder fibRuleHdr(int family, int table, int action, int flags) {
        buf.put((byte) family).put((byte) 0).put((byte) 0).put((byte) 0);
        buf.put((byte) table).put((byte) 0).put((byte) 0).put((byte) action);
        buf.putInt(flags);
        return this;
    }

    NetlinkMessageBuilder attr(int type, byte[] value) {
        int len = 4 + value.length;
        buf.putShort((short) len).putShort((short) type).put(value);
        pad();
        return this;
    }

    NetlinkMessageBuilder attrInt(int type, int value) {
        buf.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    /** A NUL-terminated string, as the kernel expects for names. */
    NetlinkMessageBuilder attrString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        return attr(type, Arrays.copyOf(bytes, bytes.length + 1));
    }

    /** Opens a nested attribute (e.g. RTA_METRICS); one level is all rtnetlink needs here. */
    NetlinkMessageBuilder beginNested(int type) {
        if (nestStart >= 0) {
            throw new IllegalStateException("nested attribute already open");
        }
        nestStart = buf.position();
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    NetlinkMessageBuilder endNested() {
        buf.putShort(nestStart, (short) (buf.position() - nestStart));
        nestStart = -1;
        return this;
    }

    byte[] build() {
        if (nestStart >= 0) {
            throw new IllegalStateException("nested attribute not closed");
        }
        buf.putInt(0, buf.position());
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }
}
