package io.causeway.daemon.dataplane;

import io.causeway.esp.DropReason;
import io.causeway.esp.InboundSa;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound decryption on N worker threads with the arrival order kept, as wireguard-go's receive path does it: the
 * reader fills the slots of a fixed ring ({@value #SLOTS} {@link InboundSlot}s) one after the other, any idle worker
 * opens the next filled slot ({@link InboundSa#openUnordered}), and the delivery stage takes the slots strictly in
 * filling order: per datagram {@link InboundSa#acceptInOrder} (window update, lifetime), the sink, then one flush
 * per slot. The delivery stage is not a thread: whichever worker finishes a slot delivers every opened slot at the
 * head of the ring, one worker at a time. A full ring makes the reader wait, so the socket buffer fills as it would
 * with a slow inline reader; nothing grows. Three counters order everything, each written by one side: filled
 * (reader), claimed (workers, CAS), delivered (the delivery stage).
 */
final class InboundPipeline implements EspIntake {
    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);
    static final int SLOTS = 8;
    /** Polls before a waiting thread parks: a batch's worth of decryption is microseconds, a park and wake more. */
    private static final int SPINS = 200;

    private final InboundSlot[] ring = new InboundSlot[SLOTS];
    private final InnerPacketSink sink;
    private final DataPathCounters counters;
    private final Thread[] workers;
    /** 1 while the worker of that index is parked or about to park; the reader clears it when it wakes one. */
    private final AtomicIntegerArray idle;
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicBoolean delivering = new AtomicBoolean();
    /** Slots [0, filled) are the workers'; written by the reader only. */
    private volatile long filled;
    /** Slots [0, delivered) are free again; written under {@link #delivering} only. */
    private volatile long delivered;
    private volatile boolean closed;
    private volatile Thread reader;
    private volatile boolean readerWaiting;
    /** The slot the reader fills, or null between batches. */
    private InboundSlot filling;

    private InboundPipeline(int workerCount, SaTable sas, TransportSas transports, InnerPacketSink sink,
            DataPathCounters counters, String name) {
        for (int i = 0; i < SLOTS; i++) ring[i] = new InboundSlot();
        this.sink = sink;
        this.counters = counters;
        this.workers = new Thread[workerCount];
        this.idle = new AtomicIntegerArray(workerCount);
        for (int w = 0; w < workerCount; w++) {
            int index = w;
            EspOpener opener = new EspOpener(sas, transports, counters);
            workers[w] = new Thread(() -> work(index, opener), name + "-open-" + w);
            workers[w].setDaemon(true);
        }
    }

    /** A pipeline of {@code workerCount} (at least 1) started decrypt workers in front of {@code sink}. */
    static InboundPipeline start(int workerCount, SaTable sas, TransportSas transports, InnerPacketSink sink,
            DataPathCounters counters, String name) {
        if (workerCount < 1) throw new IllegalArgumentException("a pipeline needs a worker, not " + workerCount);
        InboundPipeline pipeline = new InboundPipeline(workerCount, sas, transports, sink, counters, name);
        for (Thread t : pipeline.workers) t.start();
        return pipeline;
    }

    // --- the reader's side

    @Override
    public byte[] room(int len) {
        if (filling != null && !filling.fits(len)) publish();
        if (filling == null) filling = acquire();
        return filling.arena;
    }

    @Override
    public int at() {
        return filling.next();
    }

    @Override
    public void commit(int len) {
        filling.add(len);
        if (filling.count == InboundSlot.DATAGRAMS) publish();
    }

    @Override
    public void endBatch() {
        if (filling != null && filling.count > 0) publish();
    }

    /** Ends the workers once they opened and delivered everything committed; waits for them a while. */
    @Override
    public void close() {
        endBatch();
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
        try {
            for (Thread t : workers) t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next slot in filling order, once the delivery stage freed it. */
    private InboundSlot acquire() {
        long next = filled;
        if (next - delivered >= SLOTS) awaitFree(next);
        InboundSlot slot = ring[(int) (next % SLOTS)];
        slot.reset();
        return slot;
    }

    private void awaitFree(long next) {
        if (reader == null) reader = Thread.currentThread();
        for (int spin = 0; next - delivered >= SLOTS; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            readerWaiting = true;
            if (next - delivered >= SLOTS) LockSupport.park(this);
            readerWaiting = false;
        }
    }

    private void publish() {
        filling = null;
        filled = filled + 1;
        for (int w = 0; w < workers.length; w++) {
            if (idle.compareAndSet(w, 1, 0)) {
                LockSupport.unpark(workers[w]);
                return;
            }
        }
    }

    // --- the workers' side

    private void work(int index, EspOpener opener) {
        while (true) {
            long seq = claim(index);
            if (seq < 0) return;
            InboundSlot slot = ring[(int) (seq % SLOTS)];
            openAll(slot, opener);
            slot.opened = true;
            deliverReady();
        }
    }

    /** The next filled slot no other worker took, or -1 once closed and everything filled is claimed. */
    private long claim(int index) {
        for (int spin = 0; ; spin++) {
            long next = claimed.get();
            if (next < filled) {
                if (claimed.compareAndSet(next, next + 1)) return next;
                continue;
            }
            if (closed) return -1;
            if (spin < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            idle.set(index, 1);
            if (claimed.get() >= filled && !closed) LockSupport.park(this);
            idle.set(index, 0);
        }
    }

    private void openAll(InboundSlot slot, EspOpener opener) {
        for (int i = 0; i < slot.count; i++) {
            try {
                if (opener.open(slot.arena, slot.offset[i], slot.length[i], true)) {
                    slot.sequence[i] = opener.sequence();
                    slot.innerLength[i] = opener.innerLength();
                    slot.start[i] = opener.start;
                    slot.deliver[i] = opener.length;
                    slot.sa[i] = opener.sa;
                }
            } catch (RuntimeException e) {
                slot.sa[i] = null;
                counters.internalError.increment(); // input from the network never ends a worker
                log.debug("inbound datagram dropped", e);
            }
        }
    }

    // --- the delivery stage, on whichever worker gets there

    /**
     * Delivers the opened slots at the head of the ring, in order. One worker at a time: the others' slots wait for
     * it, and one that finishes while it lets go finds its slot at the head on the second look.
     */
    private void deliverReady() {
        while (headOpened()) {
            if (!delivering.compareAndSet(false, true)) return; // the holder will see our slot
            try {
                while (headOpened()) {
                    InboundSlot slot = ring[(int) (delivered % SLOTS)];
                    deliver(slot);
                    delivered = delivered + 1;
                    if (readerWaiting) LockSupport.unpark(reader);
                }
            } finally {
                delivering.set(false);
            }
        }
    }

    private boolean headOpened() {
        long head = delivered;
        return head < filled && ring[(int) (head % SLOTS)].opened;
    }

    private void deliver(InboundSlot slot) {
        for (int i = 0; i < slot.count; i++) {
            InboundSa sa = slot.sa[i];
            if (sa == null) continue;
            slot.sa[i] = null; // a removed SA is not kept alive by a slot
            try {
                DropReason verdict = sa.acceptInOrder(slot.sequence[i], slot.innerLength[i]);
                if (verdict == DropReason.NONE) {
                    sink.deliver(slot.arena, slot.start[i], slot.deliver[i]);
                } else {
                    counters.countInboundDrop(verdict);
                }
            } catch (RuntimeException e) {
                counters.internalError.increment();
                log.debug("inbound packet dropped on delivery", e);
            }
        }
        try {
            sink.flush();
        } catch (RuntimeException e) {
            counters.internalError.increment();
            log.debug("inbound flush failed", e);
        }
    }

    /** The workers' thread ids, for allocation accounting in tests. */
    long[] workerIds() {
        long[] ids = new long[workers.length];
        for (int i = 0; i < ids.length; i++) ids[i] = workers[i].getId();
        return ids;
    }

    /** Slots delivered so far; with {@link #filledSlots}, tests see when everything committed went through. */
    long deliveredSlots() {
        return delivered;
    }

    long filledSlots() {
        return filled;
    }
}
