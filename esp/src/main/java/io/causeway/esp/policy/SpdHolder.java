package io.causeway.esp.policy;

import io.causeway.esp.OutboundSa;

/** The current {@link Spd}: replaced atomically by the control thread, read by workers through a volatile. */
public final class SpdHolder {
    private volatile Spd current = Spd.EMPTY;

    public Spd current() {
        return current;
    }

    public void replace(Spd next) {
        current = java.util.Objects.requireNonNull(next);
    }

    public OutboundSa lookup(byte[] pkt, int off, int len) {
        return current.lookup(pkt, off, len);
    }
}
