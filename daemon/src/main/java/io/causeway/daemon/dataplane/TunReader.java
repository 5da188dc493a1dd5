package io.causeway.daemon.dataplane;

import io.causeway.tun.TunDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * One outbound worker: TUN read, SPD lookup, ESP seal in place, send. The packet stays in one
  * buffer from read to send: it is read behind {@link PacketBuffers#HEADROOM} bytes so the ESP
  * header and IV can be written in front of it. Rare cases (no policy, too big, SA exhausted)
  * are counted and leave the loop at once; only a packet without an SA looks at the traps.
  */
final class TunReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TunReader.class);

    private static final int INNER = PacketBuffers.HEADROOM;

    private final TunDevice tun;
    private final SaTable sas;
    private final TrapTable traps;
    private final DataPathCounters counters;
    private final OutboundSealer sealer;
    private final byte[] buf = new byte[PacketBuffers.SIZE];

    TunReader(TunDevice tun, SaTable sas, TrapTable traps, DataPathCounters counters) {
        this.tun = tun;
        this.sas = sas;
        this.traps = traps;
        this.counters = counters;
        this.sealer = new OutboundSealer(tun, counters);
    }

    @Override
    public void run() {
        while (true) {
            int len;
            try {
                len = tun.read(buf, INNER, buf.length - INNER - OutboundSealer.TAILROOM);
            } catch (RuntimeException e) {
                log.error("reading {} failed, outbound worker stops: {}", tun.name(), e.getMessage());
                return;
            }
            if (len < 0) return; // device closed: shutting down
            try {
                send(len);
            } catch (RuntimeException e) {
                // A bug must cost one packet, not the worker.
                counters.internalError.increment();
                log.debug("outbound packet dropped", e);
            }
        }
    }

    private void send(int len) {
        OutboundPath path = sas.outbound(buf, INNER, len);
        if (path == null) {
            noSa(len);
            return;
        }
        sealer.send(path, buf, len);
    }

    /** The miss path: a trapped connection keeps the packet and starts negotiating; anything else is dropped. */
    private void noSa(int len) {
        Trap trap = traps.match(buf, INNER, len);
        if (trap == null) {
            counters.noPolicy.increment();
            return;
        }
        trap.offer(buf, INNER, len);
    }
}
