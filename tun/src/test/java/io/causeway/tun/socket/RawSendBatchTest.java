package io.causeway.tun.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How a raw send batch fills up: by count and by bytes, any lengths in any order; no socket needed. */
class RawSendBatchTest {
    private final byte[] payload = new byte[4000];

    @Test
    void datagramsOfAnyLengthLieBackToBack() {
        RawSendBatch batch = new RawSendBatch(8, 10_000);
        assertThat(batch.add(payload, 0, 300)).isTrue();
        assertThat(batch.add(payload, 0, 1400)).as("longer after shorter: no GSO rule here").isTrue();
        assertThat(batch.add(payload, 7, 1)).isTrue();
        assertThat(batch.count()).isEqualTo(3);
        assertThat(batch.datagramLength(1)).isEqualTo(1400);
        assertThat(batch.datagramAddress(1) - batch.datagramAddress(0)).isEqualTo(300);
        assertThat(batch.datagramAddress(2) - batch.datagramAddress(1)).isEqualTo(1400);
    }

    @Test
    void fullByCount() {
        RawSendBatch batch = new RawSendBatch(3, 10_000);
        for (int i = 0; i < 3; i++) {
            assertThat(batch.add(payload, 0, 100)).isTrue();
        }
        assertThat(batch.add(payload, 0, 100)).isFalse();
        assertThat(batch.count()).isEqualTo(3);
        batch.clear();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.add(payload, 0, 100)).isTrue();
    }

    @Test
    void fullByBytes() {
        RawSendBatch batch = new RawSendBatch(64, 3000);
        assertThat(batch.add(payload, 0, 1500)).isTrue();
        assertThat(batch.add(payload, 0, 1501)).isFalse();
        assertThat(batch.add(payload, 0, 1500)).isTrue();
        assertThat(batch.add(payload, 0, 1)).isFalse();
        assertThat(batch.count()).isEqualTo(2);
    }

    @Test
    void whatNoBatchTakesIsRefusedLoudly() {
        RawSendBatch batch = new RawSendBatch(4, 2000);
        assertThatThrownBy(() -> batch.add(payload, 0, 2001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.add(payload, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> batch.add(payload, 3999, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new RawSendBatch(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawSendBatch(RawSendBatch.MAX_DATAGRAMS + 1, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(batch.isEmpty()).isTrue();
    }
}
