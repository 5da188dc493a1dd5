package io.causeway.esp;

/** ESP integrity transforms: HMAC truncated as RFC 2403/2404/4868 specify. */
public enum EspInteg {
    NONE(0, 0, 0, 0),
    HMAC_MD5_96(16, 12, 16, 64),
    HMAC_SHA1_96(20, 12, 20, 64),
    HMAC_SHA2_256_128(32, 16, 32, 64),
    HMAC_SHA2_384_192(48, 24, 48, 128),
    HMAC_SHA2_512_256(64, 32, 64, 128);

    private final int keyBytes;
    private final int icvBytes;
    private final int digestBytes;
    private final int hashBlockBytes;

    EspInteg(int keyBytes, int icvBytes, int digestBytes, int hashBlockBytes) {
        this.keyBytes = keyBytes;
        this.icvBytes = icvBytes;
        this.digestBytes = digestBytes;
        this.hashBlockBytes = hashBlockBytes;
    }

    public int keyBytes() {
        return keyBytes;
    }

    /** Truncated ICV length carried in the packet. */
    public int icvBytes() {
        return icvBytes;
    }

    /** Untruncated HMAC output length. */
    public int digestBytes() {
        return digestBytes;
    }

    /** Block size of the hash function, for HMAC's ipad/opad. */
    public int hashBlockBytes() {
        return hashBlockBytes;
    }

    /** Name used in strongSwan proposals (sha1, sha256, ...). */
    String proposalName() {
        return switch (this) {
            case NONE -> "";
            case HMAC_MD5_96 -> "md5";
            case HMAC_SHA1_96 -> "sha1";
            case HMAC_SHA2_256_128 -> "sha256";
            case HMAC_SHA2_384_192 -> "sha384";
            case HMAC_SHA2_512_256 -> "sha512";
        };
    }
}
