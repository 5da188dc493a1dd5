package io.causeway.esp.policy;

import io.causeway.esp.InboundSa;

/** The current {@link Sad}: replaced atomically by the control thread, read by workers through a volatile. */
public final class SadHolder {
    private volatile Sad current = Sad.EMPTY;

    public Sad current() {
        return current;
    }

    public void replace(Sad next) {
        current = java.util.Objects.requireNonNull(next);
    }

    public InboundSa lookup(int spi) {
        return current.lookup(spi);
    }
}
