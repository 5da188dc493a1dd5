package io.causeway.ike.v1.message;

/**
 * ISAKMP payload types (RFC 2408 3.1, RFC 3947 3.2 and 5.2 for NAT-D/NAT-OA, their pre-RFC draft numbers
 * 130/131, and 132 for the Cisco/strongSwan IKEv1 fragment payload).
 */
public final class V1PayloadType {
    public static final int NONE = 0;
    public static final int SA = 1;
    public static final int PROPOSAL = 2;
    public static final int TRANSFORM = 3;
    public static final int KE = 4;
    public static final int ID = 5;
    public static final int CERT = 6;
    public static final int CR = 7;
    public static final int HASH = 8;
    public static final int SIG = 9;
    public static final int NONCE = 10;
    public static final int NOTIFY = 11;
    public static final int DELETE = 12;
    public static final int VENDOR_ID = 13;
    /** Mode Config attributes (draft-ietf-ipsec-isakmp-mode-cfg). */
    public static final int ATTRIBUTE = 14;
    public static final int NAT_D = 20;
    public static final int NAT_OA = 21;
    public static final int NAT_D_DRAFT = 130;
    public static final int NAT_OA_DRAFT = 131;
    public static final int FRAGMENT = 132;

    private V1PayloadType() {
    }

    public static String name(int type) {
        return switch (type) {
            case NONE -> "NONE";
            case SA -> "SA";
            case PROPOSAL -> "PROPOSAL";
            case TRANSFORM -> "TRANSFORM";
            case KE -> "KE";
            case ID -> "ID";
            case CERT -> "CERT";
            case CR -> "CR";
            case HASH -> "HASH";
            case SIG -> "SIG";
            case NONCE -> "NONCE";
            case NOTIFY -> "N";
            case DELETE -> "D";
            case VENDOR_ID -> "V";
            case ATTRIBUTE -> "ATTR";
            case NAT_D -> "NAT-D";
            case NAT_OA -> "NAT-OA";
            case NAT_D_DRAFT -> "NAT-D(draft)";
            case NAT_OA_DRAFT -> "NAT-OA(draft)";
            case FRAGMENT -> "FRAG";
            default -> "PAYLOAD(" + type + ")";
        };
    }
}
