package io.causeway.esp.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM for ESP (RFC 4106) through a JCE Cipher: SunJCE, or ACCP passed as a Provider instance. The nonce is
 * salt || explicit IV. Per packet we allocate nothing: one key object for the SA (ACCP then skips re-checking and
 * re-expanding the key), the nonce rewritten in a reused spec, AAD and payload passed by offset, in place (both
 * providers accept output at the input's own offset). What remains is the provider's own: SunJCE builds a new GCM
 * engine on every init (about 1 KB); ACCP allocates a lock object around each native call and boxes the length
 * one returns (64 B per seal, 32 B per open once C2 has compiled it; bench/README.md).
 */
final class JceGcmTransform implements EspTransform {
    /** SunJCE and ACCP accept tag lengths of 96 to 128 bits only. */
    static final int MIN_TAG_BYTES = 12;
    private static final int ESP_HEADER = 8;
    private static final int IV = 8;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final GcmNonceSpec sealSpec;
    private final GcmNonceSpec openSpec;
    private final byte[] aad = new byte[Aad.MAX];
    private final int icvBytes;
    private final boolean esn;

    /** @param provider the JCE provider to run on, or null for the JDK's own (SunJCE) */
    JceGcmTransform(byte[] keyAndSalt, int icvBytes, boolean esn, Provider provider) {
        int keyLen = keyAndSalt.length - 4;
        this.key = new SecretKeySpec(keyAndSalt, 0, keyLen, "AES");
        // one each way: a decryption's init must not advance the spec whose previous array an encryption checks
        this.sealSpec = new GcmNonceSpec(icvBytes * 8, keyAndSalt, keyLen);
        this.openSpec = new GcmNonceSpec(icvBytes * 8, keyAndSalt, keyLen);
        this.icvBytes = icvBytes;
        this.esn = esn;
        try {
            this.cipher = provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable in " + (provider == null ? "JCE" : provider.getName()), e);
        }
    }

    @Override
    public int ivBytes() {
        return IV;
    }

    @Override
    public int icvBytes() {
        return icvBytes;
    }

    @Override
    public void seal(byte[] buf, int off, int ptLen, int seqHi) {
        int ptOff = off + ESP_HEADER + IV;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, sealSpec.next(buf, off + ESP_HEADER));
            cipher.updateAAD(aad, 0, Aad.write(aad, buf, off, esn, seqHi));
            cipher.doFinal(buf, ptOff, ptLen, buf, ptOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    @Override
    public boolean open(byte[] buf, int off, int len, int seqHi) {
        int ctOff = off + ESP_HEADER + IV;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, openSpec.next(buf, off + ESP_HEADER));
            cipher.updateAAD(aad, 0, Aad.write(aad, buf, off, esn, seqHi));
            cipher.doFinal(buf, ctOff, off + len - ctOff, buf, ctOff);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    /** Which provider runs it: SunJCE, or ACCP when that was asked for and loaded. */
    Provider provider() {
        return cipher.getProvider();
    }
}
