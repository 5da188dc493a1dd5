package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.sa.IkeIntakeScreen;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The readers' hand-off to the control thread, overfilled while the control thread is held up. */
class IkeInboxTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 500);
    private static final IkeIntakeScreen SCREEN = new IkeIntakeScreen(1, 20);
    private static final InetSocketAddress US = new InetSocketAddress("192.0.2.2", 500);

    @Test
    void aControlThreadFarBehindGetsAtMostTheLimitAndTheRestIsCountedAsQueueFull() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            AtomicInteger received = new AtomicInteger();
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> received.incrementAndGet(), SCREEN);
            CountDownLatch release = new CountDownLatch(1);
            control.execute(() -> await(release));

            for (int i = 0; i < 3 * IkeInbox.MAX_DATAGRAMS; i++) {
                inbox.receive(new byte[100], PEER, US);
            }
            assertThat(inbox.waiting()).isEqualTo(IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.queueFull()).isEqualTo(2L * IkeInbox.MAX_DATAGRAMS);

            release.countDown();
            control.call(() -> null); // every task queued before this one has run
            assertThat(received.get()).isEqualTo(IkeInbox.MAX_DATAGRAMS);
            assertThat(inbox.waiting()).isZero();
            inbox.receive(new byte[100], PEER, US);
            control.call(() -> null);
            assertThat(received.get()).isEqualTo(IkeInbox.MAX_DATAGRAMS + 1);
        }
    }

    @Test
    void largeDatagramsAreBoundedByBytesAsWell() throws Exception {
        try (ControlLoop control = new ControlLoop()) {
            IkeInbox inbox = new IkeInbox(control, (bytes, from, to) -> { }, SCREEN);
            CountDownLatch release = new CountDownLatch(1);
            control.execute(() -> await(release));
            for (int i = 0; i < 10; i++) {
                inbox.receive(new byte[1 << 20], PEER, US);
            }
            assertThat(inbox.waiting()).isEqualTo((int) (IkeInbox.MAX_BYTES >> 20));
            assertThat(inbox.queueFull()).isEqualTo(10 - (IkeInbox.MAX_BYTES >> 20));
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
