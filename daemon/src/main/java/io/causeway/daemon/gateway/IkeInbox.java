package io.causeway.daemon.gateway;

import io.causeway.daemon.dataplane.IkeDatagramSink;
import io.causeway.ike.sa.IkeIntakeScreen;
import io.causeway.ike.sa.KnownPeers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hand-off of received IKE datagrams from the socket readers to the control thread, bounded: the control loop's
 * own task queue has no limit, so without this a flood faster than the engine would queue datagrams until the heap
 * is full. {@link IkeIntakeScreen} has dropped junk and sources over their new-SA rate on the reader's thread before
 * the datagram was copied ({@link #screen}). The engine's {@link KnownPeers} then sorts the rest into one of two
 * lanes, each of at most {@link #MAX_DATAGRAMS} datagrams and {@link #MAX_BYTES}: datagrams of peers the engine knows
 * (an SA of ours, or a returned cookie of ours) and everything else. The control thread always takes the known lane
 * first, so a flood of new IKE_SA_INITs from strangers that fills its lane holds up no rekey, DPD or newcomer's
 * IKE_AUTH. A datagram whose lane is full is dropped on the reader's thread (counted as ike_queue_full, and
 * ike_queue_full_known for the known lane).
 */
final class IkeInbox implements IkeDatagramSink {
    static final int MAX_DATAGRAMS = 1024;
    static final long MAX_BYTES = 4L << 20;
    /** Datagrams one control-loop task hands the engine before timers and control requests get their turn. */
    static final int BATCH = 32;

    /** Where an admitted datagram goes; runs on the control thread. */
    interface Engine {
        void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to);
    }

    /** Whether a datagram is a known peer's ({@link KnownPeers#known}); on the reader's thread, without blocking. */
    interface Triage {
        boolean known(byte[] datagram, InetAddress from);
    }

    private record Waiting(byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
    }

    /** One bounded FIFO; the count and bytes waiting are packed as count << 40 | bytes, so one CAS admits both. */
    private static final class Lane {
        final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong waiting = new AtomicLong();
        final LongAdder full = new LongAdder();

        boolean offer(byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
            long entry = entry(datagram);
            long now;
            do {
                now = waiting.get();
                if ((now >>> 40) >= MAX_DATAGRAMS || (now & 0xFF_FFFF_FFFFL) + datagram.length > MAX_BYTES) {
                    full.increment();
                    return false;
                }
            } while (!waiting.compareAndSet(now, now + entry));
            queue.add(new Waiting(datagram, from, to));
            return true;
        }

        Waiting poll() {
            Waiting w = queue.poll();
            if (w != null) {
                waiting.addAndGet(-entry(w.datagram));
            }
            return w;
        }

        int count() {
            return (int) (waiting.get() >>> 40);
        }

        private static long entry(byte[] datagram) {
            return (1L << 40) | datagram.length;
        }
    }

    private final ControlLoop control;
    private final Engine engine;
    private final IkeIntakeScreen screen;
    private final Lane known = new Lane();
    private final Lane strangers = new Lane();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile Triage triage = (datagram, from) -> false;

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

    /** From now on datagrams are dropped or sorted into the lanes by this (until then all are strangers'). */
    void triageWith(Triage triage) {
        this.triage = triage;
    }

    @Override
    public void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
        Lane lane = known(datagram, from) ? known : strangers;
        if (lane.offer(datagram, from, to)) {
            queueDrain();
        }
    }

    private boolean known(byte[] datagram, InetSocketAddress from) {
        try {
            return triage.known(datagram, from.getAddress());
        } catch (RuntimeException e) {
            return false; // a stranger's: the engine decides as it always does
        }
    }

    /** One drain task at a time on the control loop; a reader that finds one queued leaves its datagram to it. */
    private void queueDrain() {
        if (drainQueued.compareAndSet(false, true)) {
            try {
                control.execute(this::drain);
            } catch (RuntimeException e) {
                drainQueued.set(false); // the loop is shutting down
            }
        }
    }

    /** Control thread: up to {@link #BATCH} datagrams, the known lane's first, then again later if more wait. */
    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Waiting w = known.poll();
                if (w == null) {
                    w = strangers.poll();
                }
                if (w == null) {
                    break;
                }
                engine.receive(w.datagram, w.from, w.to);
            }
        } finally {
            drainQueued.set(false);
            // a datagram offered after the last poll found its reader's queueDrain refused: pick it up here
            if (!known.queue.isEmpty() || !strangers.queue.isEmpty()) {
                queueDrain();
            }
        }
    }

    /** Datagrams dropped because their lane was full, both lanes. */
    long queueFull() {
        return known.full.sum() + strangers.full.sum();
    }

    /** Of {@link #queueFull}, those for peers the engine knows. */
    long knownQueueFull() {
        return known.full.sum();
    }

    /** Datagrams the screen found no IKE message in. */
    long malformed() {
        return screen.malformed();
    }

    /** New-SA requests the screen refused by their source's rate. */
    long rateLimited() {
        return screen.rateLimited();
    }

    /** Datagrams waiting now, both lanes. */
    int waiting() {
        return known.count() + strangers.count();
    }
}
