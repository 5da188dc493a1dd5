package io.causeway.esp;

/** ESP encryption transforms: AES-GCM (RFC 4106), AES-CBC (RFC 3602), 3DES/DES-CBC (RFC 2451/2405, legacy). */
public enum EspCipher {
    AES_GCM,
    AES_CBC,
    DES3_CBC,
    DES_CBC;

    public boolean aead() {
        return this == AES_GCM;
    }

    /** Block size of the underlying block cipher. */
    public int cipherBlockBytes() {
        return this == DES3_CBC || this == DES_CBC ? 8 : 16;
    }
}
