package io.causeway.tun.socket;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux sockaddr_in / sockaddr_in6 bytes. The family is in host order, port and flow info in
 * network order, the scope id in host order:
 * <pre>
 * sockaddr_in  (16): u16 family=2,  be16 port, 4 addr, 8 zero
 * sockaddr_in6 (28): u16 family=10, be16 port, be32 flowinfo, 16 addr, u32 scope_id
 * </pre>
 */
final class SockAddrCodec {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCKADDR_IN_LEN = 16;
    static final int SOCKADDR_IN6_LEN = 28;

    private SockAddrCodec() {
    }

    static byte[] encode(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        InetAddress ip = address.getAddress();
        boolean v6 = ip instanceof Inet6Address;
        ByteBuffer b = ByteBuffer.allocate(v6 ? SOCKADDR_IN6_LEN : SOCKADDR_IN_LEN).order(ByteOrder.nativeOrder());
        b.putShort((short) (v6 ? AF_INET6 : AF_INET));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) address.getPort());
        if (v6) {
            b.putInt(0); // flowinfo
            b.put(ip.getAddress());
            b.order(ByteOrder.nativeOrder()).putInt(((Inet6Address) ip).getScopeId());
        } else {
            b.put(ip.getAddress());
        }
        return b.array();
    }

    static InetSocketAddress decode(byte[] bytes, int length) {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.nativeOrder());
        int family = Short.toUnsignedInt(b.getShort(0));
        int port = Short.toUnsignedInt(b.order(ByteOrder.BIG_ENDIAN).getShort(2));
        try {
            if (family == AF_INET && length >= SOCKADDR_IN_LEN) {
                byte[] ip = new byte[4];
                b.get(4, ip);
                return new InetSocketAddress((Inet4Address) InetAddress.getByAddress(ip), port);
            }
            if (family == AF_INET6 && length >= SOCKADDR_IN6_LEN) {
                byte[] ip = new byte[16];
                b.get(8, ip);
                int scope = b.order(ByteOrder.nativeOrder()).getInt(24);
                return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        throw new IllegalArgumentException("not a sockaddr_in/in6: family " + family + ", length " + length);
    }
}
