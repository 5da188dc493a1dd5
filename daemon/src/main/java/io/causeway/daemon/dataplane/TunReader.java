package io.causeway.daemon.dataplane;

import io.causeway.esp.offload.GsoSplitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * One outbound worker: TUN read, SPD lookup, ESP seal in place, send. On a device with offloads one read may be a
  * TCP or UDP super-packet of up to 64 KiB: it is split into wire-sized packets, each sealed on its own, and the
  * datagrams of one read leave together ({@link SendBatcher}). Each inner packet is sealed where it lies, behind
  * {@link PacketBuffers#HEADROOM} bytes for the ESP header and IV. Rare cases (no policy, too big, SA exhausted)
  * are counted and leave the loop at once; only a packet without an SA looks at the traps.
  */
final class TunReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TunReader.class);

    private static final int INNER = PacketBuffers.HEADROOM;

    private final TunQueue tun;
    private final SaTable sas;
    private final TrapTable traps;
    private final DataPathCounters counters;
    private final OutboundSealer sealer;
    /**
     * What the TUN read returned, with the packet at {@link PacketBuffers#HEADROOM}: a device with offloads reads
     * its virtio-net header just in front, so a read that is one packet is sealed where it lies.
     */
    private final byte[] buf = new byte[PacketBuffers.SIZE + OutboundSealer.TAILROOM];
    /** The packets cut from a super-packet, one at a time, at {@link PacketBuffers#HEADROOM}; offloads only. */
    private final byte[] split;
    private final GsoSplitter splitter;
    /** Where a read starts in {@link #buf}: with offloads, the virtio-net header goes in front of the packet. */
    private final int at;

    TunReader(TunQueue tun, SaTable sas, TrapTable traps, DataPathCounters counters, SendBatcher batcher) {
        this.tun = tun;
        this.sas = sas;
        this.traps = traps;
        this.counters = counters;
        this.sealer = new OutboundSealer(tun, counters, batcher);
        this.split = tun.offload() ? new byte[PacketBuffers.SIZE + OutboundSealer.TAILROOM] : null;
        this.splitter = tun.offload() ? new GsoSplitter() : null;
        this.at = splitter != null ? INNER - PacketBuffers.TUN_HEADER : INNER;
    }

    @Override
    public void run() {
        while (readOnce()) {
            // until the device closes or fails
        }
    }

    /** One TUN read and everything it sends; false once the device is closed or failed. */
    boolean readOnce() {
        int len;
        try {
            len = tun.read(buf, at, buf.length - at - OutboundSealer.TAILROOM);
        } catch (RuntimeException e) {
            log.error("reading {} failed, outbound worker stops: {}", tun.name(), e.getMessage());
            return false;
        }
        if (len < 0) return false; // device closed: shutting down
        try {
            if (splitter != null) {
                sendSplit(len);
            } else {
                send(buf, len);
            }
        } catch (RuntimeException e) {
            // A bug must cost one packet, not the worker.
            counters.internalError.increment();
            log.debug("outbound packet dropped", e);
        } finally {
            sealer.flush();
        }
        return true;
    }

    private void send(byte[] pkt, int len) {
        OutboundPath path = sas.outbound(pkt, INNER, len);
        if (path == null) {
            noSa(pkt, len);
            return;
        }
        sealer.send(path, pkt, len);
    }

    /**
     * A read with offloads: one packet (its checksum completed in place) is sent as it lies; a super-packet is cut
     * into {@link #split}. Every packet of one super-packet has the same addresses, protocol and ports, so the first
     * one's SPD lookup holds for all; a first packet answered with ICMP too big ends it, the rest would not fit
     * either.
     */
    private void sendSplit(int frameLen) {
        int packets = splitter.start(buf, INNER - PacketBuffers.TUN_HEADER, frameLen);
        if (packets < 0) {
            counters.malformed.increment();
            return;
        }
        if (packets == 1) {
            send(buf, splitter.segmentLength());
            return;
        }
        counters.superPackets.increment();
        counters.splitPackets.add(packets);
        int len = splitter.next(split, INNER);
        OutboundPath path = sas.outbound(split, INNER, len);
        if (path == null) {
            for (; len >= 0; len = splitter.next(split, INNER)) noSa(split, len);
            return;
        }
        if (!sealer.send(path, split, len)) return;
        while ((len = splitter.next(split, INNER)) >= 0) sealer.send(path, split, len);
    }

    /** The miss path: a trapped connection keeps the packet and starts negotiating; anything else is dropped. */
    private void noSa(byte[] pkt, int len) {
        Trap trap = traps.match(pkt, INNER, len);
        if (trap == null) {
            counters.noPolicy.increment();
            return;
        }
        trap.offer(pkt, INNER, len);
    }
}
