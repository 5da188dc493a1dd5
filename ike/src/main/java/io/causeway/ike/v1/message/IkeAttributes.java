package io.causeway.ike.v1.message;

/** Phase-1 (ISAKMP SA) attribute types and values (RFC 2409 Appendix A; XAuth methods from draft-ietf-ipsec-isakmp-xauth-06). */
public final class IkeAttributes {
    public static final int ENCRYPTION_ALGORITHM = 1;
    public static final int HASH_ALGORITHM = 2;
    public static final int AUTHENTICATION_METHOD = 3;
    public static final int GROUP_DESCRIPTION = 4;
    public static final int GROUP_TYPE = 5;
    public static final int GROUP_PRIME = 6;
    public static final int GROUP_GENERATOR_ONE = 7;
    public static final int GROUP_GENERATOR_TWO = 8;
    public static final int GROUP_CURVE_A = 9;
    public static final int GROUP_CURVE_B = 10;
    public static final int LIFE_TYPE = 11;
    public static final int LIFE_DURATION = 12;
    public static final int PRF = 13;
    public static final int KEY_LENGTH = 14;
    public static final int FIELD_SIZE = 15;
    public static final int GROUP_ORDER = 16;

    /** Encryption algorithm values (RFC 2409, RFC 3602 for AES). */
    public static final int ENCR_DES_CBC = 1;
    public static final int ENCR_IDEA_CBC = 2;
    public static final int ENCR_BLOWFISH_CBC = 3;
    public static final int ENCR_RC5_CBC = 4;
    public static final int ENCR_3DES_CBC = 5;
    public static final int ENCR_CAST_CBC = 6;
    public static final int ENCR_AES_CBC = 7;

    /** Hash algorithm values (RFC 2409, RFC 4868 registry for SHA-2). */
    public static final int HASH_MD5 = 1;
    public static final int HASH_SHA1 = 2;
    public static final int HASH_TIGER = 3;
    public static final int HASH_SHA2_256 = 4;
    public static final int HASH_SHA2_384 = 5;
    public static final int HASH_SHA2_512 = 6;

    /** Authentication method values. */
    public static final int AUTH_PSK = 1;
    public static final int AUTH_DSS_SIG = 2;
    public static final int AUTH_RSA_SIG = 3;
    public static final int AUTH_RSA_ENC = 4;
    public static final int AUTH_RSA_ENC_REVISED = 5;
    public static final int AUTH_ECDSA_256 = 9;
    public static final int AUTH_ECDSA_384 = 10;
    public static final int AUTH_ECDSA_521 = 11;
    public static final int AUTH_XAUTH_INIT_PSK = 65001;
    public static final int AUTH_XAUTH_RESP_PSK = 65002;
    public static final int AUTH_XAUTH_INIT_RSA = 65005;
    public static final int AUTH_XAUTH_RESP_RSA = 65006;

    /** Life type values. */
    public static final int LIFE_SECONDS = 1;
    public static final int LIFE_KILOBYTES = 2;

    private IkeAttributes() {
    }

    public static String name(int type) {
        return switch (type) {
            case ENCRYPTION_ALGORITHM -> "ENCRYPTION_ALGORITHM";
            case HASH_ALGORITHM -> "HASH_ALGORITHM";
            case AUTHENTICATION_METHOD -> "AUTHENTICATION_METHOD";
            case GROUP_DESCRIPTION -> "GROUP";
            case GROUP_TYPE -> "GROUP_TYPE";
            case GROUP_PRIME -> "GROUP_PRIME";
            case GROUP_GENERATOR_ONE -> "GROUP_GENERATOR_ONE";
            case GROUP_GENERATOR_TWO -> "GROUP_GENERATOR_TWO";
            case GROUP_CURVE_A -> "GROUP_CURVE_A";
            case GROUP_CURVE_B -> "GROUP_CURVE_B";
            case LIFE_TYPE -> "LIFE_TYPE";
            case LIFE_DURATION -> "LIFE_DURATION";
            case PRF -> "PRF";
            case KEY_LENGTH -> "KEY_LENGTH";
            case FIELD_SIZE -> "FIELD_SIZE";
            case GROUP_ORDER -> "GROUP_ORDER";
            default -> "ATTRIBUTE(" + type + ")";
        };
    }
}
