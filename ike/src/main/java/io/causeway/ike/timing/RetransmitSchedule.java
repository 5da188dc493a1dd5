package io.causeway.ike.timing;

import java.time.Duration;

/**
 * When to send a request again (RFC 7296 2.1). strongSwan's schedule is the default: the n-th
 * retransmission waits timeout × base^n, after `tries` retransmissions the exchange has failed
 * (4 s × 1.8^n, 5 tries: 4, 7.2, 13, 23.3, 42, then give up after 75.6 s more).
 */
public record RetransmitSchedule(Duration timeout, double base, int tries) {
    public static final RetransmitSchedule STRONGSWAN = new RetransmitSchedule(Duration.ofSeconds(4), 1.8, 5);

    public RetransmitSchedule {
        if (timeout.isNegative() || timeout.isZero() || base < 1.0 || tries < 0) {
            throw new IllegalArgumentException("retransmit timeout must be > 0, base >= 1, tries >= 0");
        }
    }

    /**
     * How long to wait after sending attempt number {@code sent} (0 = the first transmission)
     * before retransmitting, or before giving up when {@link #exhausted} says so.
     */
    public Duration waitAfter(int sent) {
        return Duration.ofMillis(Math.round(timeout.toMillis() * Math.pow(base, sent)));
    }

    /** True when attempt number {@code sent} was the last retransmission: its timer ends the exchange. */
    public boolean exhausted(int sent) {
        return sent >= tries;
    }
}
