package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.policy.TrafficSelector;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trap's promises: one trigger per negotiation, a bounded queue, drops counted by reason. */
class TrapTest {
    private final AtomicInteger triggered = new AtomicInteger();
    private final Trap trap = new Trap("s2s", List.of(TrafficSelector.parse("10.1.0.0/24")),
            List.of(TrafficSelector.parse("10.2.0.0/24")), triggered::incrementAndGet);

    /** A minimal IPv4 header 10.1.0.1 -> 10.2.0.1 with the given id, at offset 5 of a bigger buffer. */
    private static byte[] packet(int id) {
        byte[] b = new byte[5 + 28];
        b[5] = 0x45;
        b[5 + 3] = 28;
        b[5 + 5] = (byte) id;
        b[5 + 9] = 1;
        b[5 + 12] = 10; b[5 + 13] = 1; b[5 + 15] = 1;
        b[5 + 16] = 10; b[5 + 17] = 2; b[5 + 19] = 1;
        return b;
    }

    @Test
    void aBurstTriggersOnceAndKeepsOnlyTheFirstEight() {
        for (int i = 0; i < 20; i++) trap.offer(packet(i), 5, 28);

        assertThat(triggered).hasValue(1);
        assertThat(trap.triggers()).isEqualTo(1);
        assertThat(trap.held()).isEqualTo(Trap.QUEUE_LIMIT).isEqualTo(8);
        assertThat(trap.droppedQueueFull()).isEqualTo(12);
        List<Trap.Held> kept = trap.release();
        // the first packets are the ones kept, in order, copied behind the sealing headroom
        assertThat(kept).extracting(h -> (int) h.buf()[PacketBuffers.HEADROOM + 5]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(kept.get(0).len()).isEqualTo(28);
        assertThat(kept.get(0).buf()).hasSize(PacketBuffers.HEADROOM + 28 + OutboundSealer.TAILROOM);
    }

    @Test
    void releasingReArmsSoTheNextMissTriggersAgain() {
        trap.offer(packet(1), 5, 28);
        trap.release();

        assertThat(trap.armed()).isTrue();
        trap.offer(packet(2), 5, 28);
        assertThat(triggered).hasValue(2);
    }

    @Test
    void failureDropsWhatWasKeptAndCountsIt() {
        trap.offer(packet(1), 5, 28);
        trap.offer(packet(2), 5, 28);

        trap.dropHeld(false);

        assertThat(trap.held()).isZero();
        assertThat(trap.droppedNegotiationFailed()).isEqualTo(2);
        // not re-armed: packets during the hold-off are kept but start nothing
        trap.offer(packet(3), 5, 28);
        assertThat(triggered).hasValue(1);
        assertThat(trap.held()).isEqualTo(1);
    }

    @Test
    void rearmWithPacketsWaitingHandsThemToTheCallerInsteadOfFiringAgain() {
        trap.offer(packet(1), 5, 28);
        trap.dropHeld(false);
        trap.offer(packet(2), 5, 28);

        assertThat(trap.rearm()).isTrue();
        assertThat(trap.armed()).isFalse();
        trap.release();
        assertThat(trap.rearm()).isFalse();
        assertThat(trap.armed()).isTrue();
        assertThat(triggered).hasValue(1);
    }

    @Test
    void workersRacingOnOneTrapTriggerExactlyOnce() throws Exception {
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) trap.offer(packet(i), 5, 28);
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread w : workers) w.join(10_000);

        assertThat(triggered).hasValue(1);
        assertThat(trap.held() + trap.droppedQueueFull()).isEqualTo(threads * 1000L);
        assertThat(trap.held()).isEqualTo(Trap.QUEUE_LIMIT);
    }
}
