package io.causeway.conf.proposal;

/**
 * One transform: its strongSwan keyword, IANA transform type and id, and for variable-length ciphers
 * the Key Length attribute in bits (0 when the transform carries none).
 */
public record Algorithm(String name, TransformType type, int ianaId, int keyLengthBits) {

    /** AES-GCM and friends: encryption that authenticates, so no separate integrity transform. */
    public boolean aead() {
        return type == TransformType.ENCR && ianaId >= 18 && ianaId <= 20;
    }

    /** For AEAD ciphers, the ICV length in bytes (8, 12 or 16); 0 otherwise. */
    public int icvLengthBytes() {
        return switch (aead() ? ianaId : 0) {
            case 18 -> 8;
            case 19 -> 12;
            case 20 -> 16;
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
