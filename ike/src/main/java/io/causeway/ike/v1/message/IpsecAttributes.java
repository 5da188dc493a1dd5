package io.causeway.ike.v1.message;

/**
 * Quick mode (IPsec SA) attribute types and values (RFC 2407 4.5), ESP transform ids (RFC 2407 4.4.4
 * and the IANA registry) and the encapsulation modes of RFC 3947 5.1 (with the pre-RFC draft values
 * strongSwan still accepts).
 */
public final class IpsecAttributes {
    public static final int SA_LIFE_TYPE = 1;
    public static final int SA_LIFE_DURATION = 2;
    public static final int GROUP_DESCRIPTION = 3;
    public static final int ENCAPSULATION_MODE = 4;
    public static final int AUTHENTICATION_ALGORITHM = 5;
    public static final int KEY_LENGTH = 6;
    public static final int KEY_ROUNDS = 7;
    public static final int COMPRESS_DICTIONARY_SIZE = 8;
    public static final int COMPRESS_PRIVATE_ALGORITHM = 9;
    public static final int ECN_TUNNEL = 10;
    public static final int EXTENDED_SEQUENCE_NUMBER = 11;

    public static final int LIFE_SECONDS = 1;
    public static final int LIFE_KILOBYTES = 2;

    public static final int MODE_TUNNEL = 1;
    public static final int MODE_TRANSPORT = 2;
    public static final int MODE_UDP_TUNNEL = 3;
    public static final int MODE_UDP_TRANSPORT = 4;
    public static final int MODE_UDP_TUNNEL_DRAFT = 61443;
    public static final int MODE_UDP_TRANSPORT_DRAFT = 61444;

    /** Authentication algorithm values. */
    public static final int AUTH_HMAC_MD5 = 1;
    public static final int AUTH_HMAC_SHA1 = 2;
    public static final int AUTH_DES_MAC = 3;
    public static final int AUTH_KPDK = 4;
    public static final int AUTH_HMAC_SHA2_256 = 5;
    public static final int AUTH_HMAC_SHA2_384 = 6;
    public static final int AUTH_HMAC_SHA2_512 = 7;
    public static final int AUTH_AES_XCBC_MAC = 9;
    public static final int AUTH_AES_128_GMAC = 11;

    /** ESP transform ids. */
    public static final int ESP_DES = 2;
    public static final int ESP_3DES = 3;
    public static final int ESP_NULL = 11;
    public static final int ESP_AES_CBC = 12;
    public static final int ESP_AES_CTR = 13;
    public static final int ESP_AES_CCM_8 = 14;
    public static final int ESP_AES_CCM_12 = 15;
    public static final int ESP_AES_CCM_16 = 16;
    public static final int ESP_AES_GCM_8 = 18;
    public static final int ESP_AES_GCM_12 = 19;
    public static final int ESP_AES_GCM_16 = 20;
    public static final int ESP_NULL_AUTH_AES_GMAC = 23;

    private IpsecAttributes() {
    }

    public static String name(int type) {
        return switch (type) {
            case SA_LIFE_TYPE -> "SA_LIFE_TYPE";
            case SA_LIFE_DURATION -> "SA_LIFE_DURATION";
            case GROUP_DESCRIPTION -> "GROUP";
            case ENCAPSULATION_MODE -> "ENCAPSULATION_MODE";
            case AUTHENTICATION_ALGORITHM -> "AUTHENTICATION_ALGORITHM";
            case KEY_LENGTH -> "KEY_LENGTH";
            case KEY_ROUNDS -> "KEY_ROUNDS";
            case COMPRESS_DICTIONARY_SIZE -> "COMPRESS_DICTIONARY_SIZE";
            case COMPRESS_PRIVATE_ALGORITHM -> "COMPRESS_PRIVATE_ALGORITHM";
            case ECN_TUNNEL -> "ECN_TUNNEL";
            case EXTENDED_SEQUENCE_NUMBER -> "EXTENDED_SEQUENCE_NUMBER";
            default -> "ATTRIBUTE(" + type + ")";
        };
    }
}
