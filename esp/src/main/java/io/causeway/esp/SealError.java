package io.causeway.esp;

/** Negative return codes of {@link OutboundSa#seal}. */
public final class SealError {
    /** The SA reached a hard byte/packet limit and must be replaced. */
    public static final int HARD_LIMIT = -1;
    /** The 32-bit sequence space (no ESN) or the 64-bit one (ESN) is used up: rekey (RFC 4303 3.3.3). */
    public static final int SEQUENCE_EXHAUSTED = -2;
    /** The buffer has no room for the header, padding, trailer and ICV. */
    public static final int BUFFER_TOO_SMALL = -3;
    /** Negative inner length or next header outside 0..255. */
    public static final int BAD_ARGUMENT = -4;

    private SealError() {
    }

    public static String describe(int code) {
        return switch (code) {
            case HARD_LIMIT -> "hard limit reached";
            case SEQUENCE_EXHAUSTED -> "sequence numbers exhausted";
            case BUFFER_TOO_SMALL -> "buffer too small";
            case BAD_ARGUMENT -> "bad argument";
            default -> code >= 0 ? "ok" : "unknown error " + code;
        };
    }
}
