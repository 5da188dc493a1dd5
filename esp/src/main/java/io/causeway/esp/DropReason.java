package io.causeway.esp;

/** Why an inbound packet was not delivered. NONE means it was opened successfully. */
public enum DropReason {
    NONE,
    MALFORMED,
    NO_SA,
    REPLAY,
    AUTH_FAILED,
    BAD_PADDING,
    BAD_NEXT_HEADER,
    DUMMY,
    SELECTOR,
    HARD_LIMIT
}
