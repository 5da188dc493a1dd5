package io.causeway.tun.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The UDP GSO rules of a batch (udp_send_skb in net/ipv4/udp.c); no socket needed. */
class UdpSendBatchTest {
    private final byte[] payload = new byte[2000];

    @Test
    void datagramsOfTheFirstOnesLengthFit() {
        UdpSendBatch batch = new UdpSendBatch(65_000);
        for (int i = 0; i < 10; i++) {
            assertThat(batch.add(payload, 0, 1000)).isTrue();
        }
        assertThat(batch.count()).isEqualTo(10);
        assertThat(batch.totalLength()).isEqualTo(10_000);
        assertThat(batch.datagramLength(9)).isEqualTo(1000);
    }

    @Test
    void aShorterOneFitsOnceAndEndsTheBatch() {
        UdpSendBatch batch = new UdpSendBatch(65_000);
        assertThat(batch.add(payload, 0, 1000)).isTrue();
        assertThat(batch.add(payload, 0, 300)).isTrue();
        assertThat(batch.add(payload, 0, 300)).as("nothing after a shorter one").isFalse();
        assertThat(batch.add(payload, 0, 1000)).isFalse();
        assertThat(batch.add(payload, 0, 1)).isFalse();
        assertThat(batch.count()).isEqualTo(2);
        assertThat(batch.datagramLength(0)).isEqualTo(1000);
        assertThat(batch.datagramLength(1)).isEqualTo(300);
        assertThat(batch.datagramAddress(1) - batch.datagramAddress(0)).isEqualTo(1000);
    }

    @Test
    void aLongerOneNeverFits() {
        UdpSendBatch batch = new UdpSendBatch(65_000);
        assertThat(batch.add(payload, 0, 1000)).isTrue();
        assertThat(batch.add(payload, 0, 1001)).isFalse();
        assertThat(batch.count()).isEqualTo(1);
        assertThat(batch.add(payload, 0, 1000)).as("a refusal adds nothing and changes nothing").isTrue();
    }

    @Test
    void atMostSixtyFourDatagrams() {
        UdpSendBatch batch = new UdpSendBatch(65_000);
        for (int i = 0; i < UdpSendBatch.MAX_DATAGRAMS; i++) {
            assertThat(batch.add(payload, 0, 100)).isTrue();
        }
        assertThat(batch.add(payload, 0, 100)).isFalse();
        assertThat(batch.add(payload, 0, 50)).as("not even a shorter last one").isFalse();
        assertThat(batch.count()).isEqualTo(64);
    }

    @Test
    void theWholeBatchStaysWithinTheCapacity() {
        UdpSendBatch batch = new UdpSendBatch(2500);
        assertThat(batch.add(payload, 0, 1000)).isTrue();
        assertThat(batch.add(payload, 0, 1000)).isTrue();
        assertThat(batch.add(payload, 0, 1000)).isFalse();
        assertThat(batch.add(payload, 0, 501)).isFalse();
        assertThat(batch.add(payload, 0, 500)).as("exactly full").isTrue();
        assertThat(batch.totalLength()).isEqualTo(2500);
    }

    @Test
    void clearStartsOverWithANewSegmentSize() {
        UdpSendBatch batch = new UdpSendBatch(65_000);
        batch.add(payload, 0, 1000);
        batch.add(payload, 0, 10);
        batch.clear();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.count()).isZero();
        assertThat(batch.add(payload, 0, 1500)).isTrue();
        assertThat(batch.add(payload, 0, 1500)).isTrue();
        assertThat(batch.totalLength()).isEqualTo(3000);
    }

    @Test
    void datagramsNoBatchCouldTakeAreAnError() {
        UdpSendBatch batch = new UdpSendBatch(1000);
        assertThatThrownBy(() -> batch.add(payload, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.add(payload, 0, 1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.add(payload, 1990, 20)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(batch.isEmpty()).isTrue();
    }

    @Test
    void theCapacityFitsOneUdpIpv4Packet() {
        assertThat(new UdpSendBatch(65_507).capacity()).isEqualTo(65_507);
        assertThatThrownBy(() -> new UdpSendBatch(65_508))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("send batch capacity must be 1 to 65507 bytes (one UDP/IPv4 packet), got 65508");
        assertThatThrownBy(() -> new UdpSendBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
