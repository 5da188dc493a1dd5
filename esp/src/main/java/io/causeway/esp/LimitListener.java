package io.causeway.esp;

/**
 * Told when an SA crosses a lifetime limit. Called on the data-plane thread that crossed it, exactly
 * once per (SA, kind): implementations must only hand the event over (e.g. to the control loop).
 */
@FunctionalInterface
public interface LimitListener {
    LimitListener NONE = (spi, inbound, kind) -> { };

    void limitReached(int spi, boolean inbound, LimitKind kind);
}
