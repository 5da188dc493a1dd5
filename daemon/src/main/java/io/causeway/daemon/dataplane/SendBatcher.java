package io.causeway.daemon.dataplane;

import io.causeway.tun.socket.RawSendBatch;
import io.causeway.tun.socket.UdpSendBatch;

/**
 * Collects the sealed datagrams one TUN read produced for one SA and sends them in one system call: for a
 * UDP-encapsulated SA one sendmsg (UDP GSO: the kernel cuts the buffer into the datagrams, so a 64 KiB super-packet
 * costs one system call instead of about 45), for raw ESP one sendmmsg (a raw socket has no GSO, so one message per
 * datagram, but still one call). UDP without GSO goes out one by one at once. One per sending thread; the caller
 * {@link #flush}es at the end of each read, so datagrams never wait longer than the read that made them. Whatever
 * is queued leaves before a datagram for another SA or one sent on its own, so the wire keeps the sealing order.
 */
final class SendBatcher {
    /** A GSO send is one UDP datagram before the kernel cuts it: its payload must stay below 64 KiB. */
    private static final int BATCH_BYTES = 65_000;
    /** The datagrams of a 64 KiB read, each with its ESP overhead, with room to spare. */
    private static final int RAW_BATCH_DATAGRAMS = 64;
    private static final int RAW_BATCH_BYTES = 128 * 1024;

    private final boolean gso;
    private final DataPathCounters counters;
    private final UdpSendBatch batch;
    private final RawSendBatch rawBatch = new RawSendBatch(RAW_BATCH_DATAGRAMS, RAW_BATCH_BYTES);
    private UdpEgress target;
    private RawEspEgress rawTarget;

    SendBatcher(boolean gso, DataPathCounters counters) {
        this.gso = gso;
        this.counters = counters;
        this.batch = gso ? new UdpSendBatch(BATCH_BYTES) : null;
    }

    void send(Egress egress, byte[] buf, int off, int len) {
        if (gso && egress instanceof UdpEgress udp && len <= batch.capacity()) {
            if (udp != target) {
                flush();
                target = udp;
            }
            if (!batch.add(buf, off, len)) {
                // a datagram that breaks the equal-size rule (or a full batch) starts the next batch
                flush();
                target = udp;
                batch.add(buf, off, len);
            }
            return;
        }
        if (egress instanceof RawEspEgress raw && len <= rawBatch.capacity()) {
            if (raw != rawTarget) {
                flush();
                rawTarget = raw;
            }
            if (!rawBatch.add(buf, off, len)) {
                flush();
                rawTarget = raw;
                rawBatch.add(buf, off, len);
            }
            return;
        }
        flush(); // what is queued left before this datagram, so the order on the wire is the order sealed
        if (!egress.send(buf, off, len)) counters.sendFailed.increment();
    }

    void flush() {
        if (target != null) {
            int queued = batch.count();
            int sent = queued == 0 ? 0 : target.send(batch);
            if (sent < queued) counters.sendFailed.add(queued - sent);
            if (queued > 1) counters.gsoSends.increment();
            target = null;
        }
        if (rawTarget != null) {
            int queued = rawBatch.count();
            int sent = queued == 0 ? 0 : rawTarget.send(rawBatch);
            if (sent < queued) counters.sendFailed.add(queued - sent);
            if (queued > 1) counters.rawBatchSends.increment();
            rawTarget = null;
        }
    }
}
