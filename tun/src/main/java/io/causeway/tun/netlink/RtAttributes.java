package io.causeway.tun.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The rtattrs of one message region, by type (the last one wins, as in the kernel's parse). */
final class RtAttributes {
    private static final int NLA_TYPE_MASK = 0x3fff; // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER

    private final Map<Integer, ByteBuffer> values = new HashMap<>();

    private RtAttributes() {
    }

    /** Parses attributes from {@code from} to the buffer's limit. */
    static RtAttributes parse(ByteBuffer buf, int from) {
        RtAttributes attrs = new RtAttributes();
        int pos = from;
        int end = buf.limit();
        while (pos + 4 <= end) {
            int len = Short.toUnsignedInt(buf.getShort(pos));
            int type = Short.toUnsignedInt(buf.getShort(pos + 2)) & NLA_TYPE_MASK;
            if (len < 4 || pos + len > end) {
                break;
            }
            ByteBuffer value = buf.duplicate().position(pos + 4).limit(pos + len).slice()
                    .order(ByteOrder.nativeOrder());
            attrs.values.put(type, value);
            pos += Rtnl.align(len);
        }
        return attrs;
    }

    boolean has(int type) {
        return values.containsKey(type);
    }

    ByteBuffer get(int type) {
        ByteBuffer v = values.get(type);
        return v == null ? null : v.duplicate().order(ByteOrder.nativeOrder());
    }

    /** A u32 attribute, or {@code absent}. */
    int u32(int type, int absent) {
        ByteBuffer v = values.get(type);
        return v == null || v.limit() < 4 ? absent : v.getInt(0);
    }

    String string(int type) {
        ByteBuffer v = values.get(type);
        if (v == null) {
            return null;
        }
        int len = 0;
        while (len < v.limit() && v.get(len) != 0) {
            len++;
        }
        byte[] bytes = new byte[len];
        v.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An address attribute for {@code family}, or null when absent or of the wrong size. */
    InetAddress address(int type, int family) {
        ByteBuffer v = values.get(type);
        if (v == null) {
            return null;
        }
        return toAddress(v, family);
    }

    static InetAddress toAddress(ByteBuffer v, int family) {
        int size = family == Rtnl.AF_INET6 ? 16 : 4;
        if (v.limit() != size) {
            return null;
        }
        byte[] bytes = new byte[size];
        v.get(0, bytes);
        return fromBytes(bytes, family);
    }

    static InetAddress fromBytes(byte[] bytes, int family) {
        try {
            // Inet6Address.getByAddress keeps an IPv4-mapped IPv6 address an Inet6Address.
            return family == Rtnl.AF_INET6 ? Inet6Address.getByAddress(null, bytes, -1)
                    : (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
