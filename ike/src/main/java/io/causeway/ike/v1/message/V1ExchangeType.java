package io.causeway.ike.v1.message;

/** ISAKMP exchange types (RFC 2408 3.1 and 4, RFC 2409 5 and 9, draft-ietf-ipsec-isakmp-mode-cfg for TRANSACTION). */
public final class V1ExchangeType {
    public static final int NONE = 0;
    public static final int BASE = 1;
    /** Main Mode. */
    public static final int IDENTITY_PROTECTION = 2;
    public static final int AUTHENTICATION_ONLY = 3;
    public static final int AGGRESSIVE = 4;
    public static final int INFORMATIONAL = 5;
    /** Mode Config / XAuth. */
    public static final int TRANSACTION = 6;
    public static final int QUICK_MODE = 32;
    public static final int NEW_GROUP = 33;

    private V1ExchangeType() {
    }

    public static String name(int type) {
        return switch (type) {
            case NONE -> "NONE";
            case BASE -> "BASE";
            case IDENTITY_PROTECTION -> "MAIN_MODE";
            case AUTHENTICATION_ONLY -> "AUTH_ONLY";
            case AGGRESSIVE -> "AGGRESSIVE";
            case INFORMATIONAL -> "INFORMATIONAL_V1";
            case TRANSACTION -> "TRANSACTION";
            case QUICK_MODE -> "QUICK_MODE";
            case NEW_GROUP -> "NEW_GROUP";
            default -> "EXCHANGE(" + type + ")";
        };
    }
}
