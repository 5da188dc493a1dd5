package io.causeway.daemon.dataplane;

import io.causeway.esp.DropReason;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;
import io.causeway.tun.TunDevice;

/**
  * ESP received from the peer, to the TUN device: SAD lookup by SPI, open in place (ICV,
  * anti-replay, padding, inbound selectors), write the inner packet. One instance per receive
  * thread: it owns the {@link Opened} it reuses for every packet.
  */
final class InboundPath {
    private final SaTable sas;
    private final TunDevice tun;
    private final DataPathCounters counters;
    private final Opened opened = new Opened();

    InboundPath(SaTable sas, TunDevice tun, DataPathCounters counters) {
        this.sas = sas;
        this.tun = tun;
        this.counters = counters;
    }

    void receive(byte[] buf, int off, int len) {
        if (len < 8) {
            counters.malformed.increment();
            return;
        }
        InboundSa sa = sas.inbound(readInt(buf, off));
        if (sa == null) {
            counters.noSa.increment();
            return;
        }
        DropReason verdict = sa.open(buf, off, len, opened);
        if (verdict == DropReason.NONE) {
            tun.write(buf, opened.innerOffset, opened.innerLength);
            return;
        }
        countDrop(verdict);
    }

    private void countDrop(DropReason reason) {
        switch (reason) {
            case REPLAY -> counters.replay.increment();
            case AUTH_FAILED -> counters.authFailed.increment();
            case BAD_PADDING -> counters.badPadding.increment();
            case SELECTOR -> counters.selector.increment();
            case DUMMY -> counters.dummy.increment();
            case HARD_LIMIT -> counters.hardLimit.increment();
            case NO_SA -> counters.noSa.increment();
            default -> counters.malformed.increment();
        }
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }
}
