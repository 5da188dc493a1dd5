package io.causeway.tun.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The test-support fill of a receive buffer reports what a recvmsg with UDP_GRO would; no socket needed. */
class UdpReceiveBufferTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 4500);

    @Test
    void aFilledBatchReadsBackWithItsSegmentSizeAndSender() {
        byte[] datagrams = new byte[3000];
        for (int i = 0; i < datagrams.length; i++) datagrams[i] = (byte) i;
        UdpReceiveBuffer buffer = new UdpReceiveBuffer(65_535);

        buffer.fillForTest(datagrams, 100, 2500, 1000, SockAddr.of(PEER));

        assertThat(buffer.length()).isEqualTo(2500);
        assertThat(buffer.segmentSize()).isEqualTo(1000);
        assertThat(buffer.truncated()).isFalse();
        assertThat(buffer.sender()).isEqualTo(PEER);
        byte[] last = new byte[500];
        buffer.copy(2000, last, 0, 500);
        assertThat(last[0]).isEqualTo(datagrams[2100]);
        assertThat(last[499]).isEqualTo(datagrams[2599]);
    }

    @Test
    void aSegmentSizeOfTheWholeLengthOrMoreIsOneDatagram() {
        UdpReceiveBuffer buffer = new UdpReceiveBuffer(2000);
        buffer.fillForTest(new byte[800], 0, 800, 0, SockAddr.of(PEER));
        assertThat(buffer.segmentSize()).isEqualTo(800);
        buffer.fillForTest(new byte[800], 0, 800, 1200, SockAddr.of(PEER));
        assertThat(buffer.segmentSize()).isEqualTo(800);
    }

    @Test
    void moreThanTheCapacityIsCutAndMarkedTruncated() {
        UdpReceiveBuffer buffer = new UdpReceiveBuffer(1000);
        buffer.fillForTest(new byte[1500], 0, 1500, 0, SockAddr.of(PEER));
        assertThat(buffer.length()).isEqualTo(1000);
        assertThat(buffer.truncated()).isTrue();
    }

    @Test
    void theSendersAddressHashIsTheSameAsFromItsInetAddress() throws Exception {
        UdpReceiveBuffer buffer = new UdpReceiveBuffer(2000);
        for (String address : new String[] {"192.0.2.7", "198.18.255.1", "2001:db8::1", "fd00:1:2:3:4:5:6:7"}) {
            InetSocketAddress sender = new InetSocketAddress(java.net.InetAddress.getByName(address), 500);
            buffer.fillForTest(new byte[100], 0, 100, 0, SockAddr.of(sender));

            assertThat(buffer.senderAddressHash()).as(address).isEqualTo(AddressHash.of(sender.getAddress()));
        }
        assertThat(AddressHash.of(java.net.InetAddress.getByName("192.0.2.7"))).isEqualTo(0xC0000207);
        assertThat(AddressHash.of(java.net.InetAddress.getByName("2001:db8::1")))
                .isEqualTo(0x20010db8 ^ 0 ^ 0 ^ 1);
    }
}
