package io.causeway.esp;

/** Lifetime events of an SA; each is reported at most once per SA. */
public enum LimitKind {
    SOFT_BYTES(false),
    SOFT_PACKETS(false),
    HARD_BYTES(true),
    HARD_PACKETS(true),
    /** Sequence number space exhausted (RFC 4303 3.3.3): as final as a hard limit. */
    SEQUENCE_EXHAUSTED(true);

    private final boolean hard;

    LimitKind(boolean hard) {
        this.hard = hard;
    }

    /** Hard events stop the SA. */
    public boolean hard() {
        return hard;
    }
}
