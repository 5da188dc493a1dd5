package io.causeway.daemon.gateway;

import io.causeway.daemon.dataplane.IkeDatagramSink;
import io.causeway.ike.sa.IkeIntakeScreen;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hand-off of received IKE datagrams from the socket readers to the control thread, bounded: the control loop's
 * own task queue has no limit, so without this a flood faster than the engine would queue datagrams until the heap
 * is full. Beyond {@link #MAX_DATAGRAMS} datagrams or {@link #MAX_BYTES} waiting, a new one is dropped on the reader's
 * thread (counted as ike_queue_full) before anything is allocated for it.
 */
final class IkeInbox implements IkeDatagramSink {
    static final int MAX_DATAGRAMS = 1024;
    static final long MAX_BYTES = 4L << 20;

    /** Where an admitted datagram goes; runs on the control thread. */
    interface Engine {
        void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to);
    }

    private final ControlLoop control;
    private final Engine engine;
    private final IkeIntakeScreen screen;
    /** Datagrams and bytes waiting, packed as count << 40 | bytes, so one CAS admits both limits at once. */
    private final AtomicLong waiting = new AtomicLong();
    private final LongAdder queueFull = new LongAdder();

    IkeInbox(ControlLoop control, Engine engine, IkeIntakeScreen screen) {
        this.control = control;
        this.engine = engine;
        this.screen = screen;
    }

    /** See {@link IkeIntakeScreen}: runs on the reader's thread, on a monotonic millisecond clock. */
    @Override
    public IkeIntakeScreen.Verdict screen(byte[] buf, int off, int len, int sourceHash) {
        return screen.screen(buf, off, len, sourceHash, System.nanoTime() / 1_000_000);
    }

    @Override
    public void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
        long entry = (1L << 40) | datagram.length;
        long now;
        do {
            now = waiting.get();
            if ((now >>> 40) >= MAX_DATAGRAMS || (now & 0xFF_FFFF_FFFFL) + datagram.length > MAX_BYTES) {
                queueFull.increment();
                return;
            }
        } while (!waiting.compareAndSet(now, now + entry));
        try {
            control.execute(() -> {
                try {
                    engine.receive(datagram, from, to);
                } finally {
                    waiting.addAndGet(-entry);
                }
            });
        } catch (RuntimeException e) {
            waiting.addAndGet(-entry); // the loop is shutting down
        }
    }

    /** Datagrams dropped because the control thread was that far behind. */
    long queueFull() {
        return queueFull.sum();
    }

    /** Datagrams the screen found no IKE message in. */
    long malformed() {
        return screen.malformed();
    }

    /** New-SA requests the screen refused by their source's rate. */
    long rateLimited() {
        return screen.rateLimited();
    }

    /** Datagrams waiting now. */
    int waiting() {
        return (int) (waiting.get() >>> 40);
    }
}
