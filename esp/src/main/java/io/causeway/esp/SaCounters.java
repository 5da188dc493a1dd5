package io.causeway.esp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Traffic counters of one SA, written by workers and readable from any thread. Bytes are inner-packet bytes. */
public final class SaCounters {
    private final AtomicLong packetsIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong packetsOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);

    public long packetsIn() {
        return packetsIn.get();
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long packetsOut() {
        return packetsOut.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    /** Inbound packets dropped for {@code reason}; DUMMY counts the dummy packets (next header 59). */
    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    public long dummyIn() {
        return drops(DropReason.DUMMY);
    }

    AtomicLong packetsInCounter() {
        return packetsIn;
    }

    AtomicLong bytesInCounter() {
        return bytesIn;
    }

    AtomicLong packetsOutCounter() {
        return packetsOut;
    }

    AtomicLong bytesOutCounter() {
        return bytesOut;
    }

    DropReason drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
        return reason;
    }
}
