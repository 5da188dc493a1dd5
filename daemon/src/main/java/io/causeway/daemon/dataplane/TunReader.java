package io.causeway.daemon.dataplane;

import io.causeway.esp.EspMode;
import io.causeway.tun.TunDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * One outbound worker: TUN read, SPD lookup, ESP seal in place, send. The packet stays in one
  * buffer from read to send: it is read behind {@link PacketBuffers#HEADROOM} bytes so the ESP
  * header and IV can be written in front of it. Rare cases (no policy, too big, SA exhausted)
  * are counted and leave the loop at once.
  */
final class TunReader implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TunReader.class);

    private static final int INNER = PacketBuffers.HEADROOM;
    /** Space kept behind the packet for ESP padding, trailer and ICV. */
    private static final int TAILROOM = 256;

    private final TunDevice tun;
    private final SaTable sas;
    private final DataPathCounters counters;
    private final byte[] buf = new byte[PacketBuffers.SIZE];
    private final byte[] icmp = new byte[1400];
    private final TransportPayload transport = new TransportPayload();

    TunReader(TunDevice tun, SaTable sas, DataPathCounters counters) {
        this.tun = tun;
        this.sas = sas;
        this.counters = counters;
    }

    @Override
    public void run() {
        while (true) {
            int len;
            try {
                len = tun.read(buf, INNER, buf.length - INNER - TAILROOM);
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
            counters.noPolicy.increment();
            return;
        }
        if (len > path.innerMtu() && IcmpTooBig.mustNotFragment(buf, INNER)) {
            answerTooBig(INNER, len, path.innerMtu());
            return;
        }
        int innerOff = INNER;
        int innerLen = len;
        int nextHeader;
        if (path.sa().config().mode() == EspMode.TRANSPORT) {
            // RFC 4303 3.1.1: protect the payload; the kernel writes the outer header around it
            int verdict = transport.locate(buf, INNER, len);
            if (verdict != TransportPayload.OK) {
                (verdict == TransportPayload.FRAGMENT ? counters.fragment : counters.malformed).increment();
                return;
            }
            innerOff = INNER + transport.headerLength;
            innerLen = transport.length;
            nextHeader = transport.protocol;
        } else {
            nextHeader = nextHeader(buf[INNER]);
        }
        int off = innerOff - path.sa().headroom();
        int espLen = path.sa().seal(buf, off, innerLen, nextHeader);
        if (espLen < 0) {
            counters.hardLimit.increment();
            return;
        }
        if (!path.egress().send(buf, off, espLen)) counters.sendFailed.increment();
    }

    private void answerTooBig(int off, int len, int mtu) {
        counters.tooBig.increment();
        int n = IcmpTooBig.build(buf, off, len, mtu, icmp);
        if (n > 0) tun.write(icmp, 0, n);
    }

    /** Tunnel mode: the next header names the inner IP version (RFC 4303 2.6). */
    private static int nextHeader(byte firstByte) {
        return (firstByte & 0xf0) == 0x60 ? 41 : 4;
    }
}
