package io.causeway.daemon.metrics;

/** The clear-text IKE header fields the metrics look at (RFC 7296 3.1); nothing is decrypted. */
record IkeHeader(long initiatorSpi, long responderSpi, int exchangeType, boolean response, int messageId) {
    static final int IKE_SA_INIT = 34;
    static final int IKE_AUTH = 35;
    static final int CREATE_CHILD_SA = 36;
    static final int INFORMATIONAL = 37;

    private static final int HEADER_LENGTH = 28;
    private static final int FLAG_RESPONSE = 0x20;

    /** The header, or null for anything shorter than one. */
    static IkeHeader parse(byte[] m) {
        if (m == null || m.length < HEADER_LENGTH) return null;
        return new IkeHeader(readLong(m, 0), readLong(m, 8), m[18] & 0xff, (m[19] & FLAG_RESPONSE) != 0,
                (int) readInt(m, 20));
    }

    /** The label value of an exchange type: one of a fixed set, never the peer's number as text. */
    static String exchangeName(int type) {
        return switch (type) {
            case IKE_SA_INIT -> "ike_sa_init";
            case IKE_AUTH -> "ike_auth";
            case CREATE_CHILD_SA -> "create_child_sa";
            case INFORMATIONAL -> "informational";
            default -> "other";
        };
    }

    private static long readLong(byte[] m, int at) {
        return (readInt(m, at) << 32) | readInt(m, at + 4);
    }

    private static long readInt(byte[] m, int at) {
        return ((m[at] & 0xffL) << 24) | ((m[at + 1] & 0xffL) << 16) | ((m[at + 2] & 0xffL) << 8) | (m[at + 3] & 0xffL);
    }
}
