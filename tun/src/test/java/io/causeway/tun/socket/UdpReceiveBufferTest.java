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
}
