package io.causeway.tun.socket;

import static io.causeway.tun.testing.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SockAddrCodecTest {

    @Test
    void encodesSockaddrIn() throws Exception {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        byte[] b = SockAddrCodec.encode(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4500));
        // family 2 (host order), port 4500 = 0x1194 (network order), address, 8 zero bytes
        assertThat(b).containsExactly(hex("0200 1194 c0000207 0000000000000000"));
    }

    @Test
    void encodesSockaddrIn6() throws Exception {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        byte[] b = SockAddrCodec.encode(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 500));
        assertThat(b).containsExactly(hex("0a00 01f4 00000000 20010db8000000000000000000000001 00000000"));
    }

    @Test
    void decodesWhatItEncodes() throws Exception {
        for (String host : new String[] {"10.1.2.3", "fd00::42", "::ffff:10.0.0.1"}) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(host), 65535);
            byte[] b = SockAddrCodec.encode(a);
            assertThat(SockAddrCodec.decode(b, b.length)).isEqualTo(a);
        }
    }
}
