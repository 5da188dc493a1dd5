package io.causeway.esp.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM for ESP (RFC 4106) on SunJCE. The nonce is salt || explicit IV. SunJCE needs a fresh
 * GCMParameterSpec per packet: that, and JCE's own bookkeeping, is this transform's per-packet allocation.
 */
final class JceGcmTransform implements EspTransform {
    /** SunJCE accepts tag lengths of 96 to 128 bits only. */
    static final int MIN_TAG_BYTES = 12;
    private static final int ESP_HEADER = 8;
    private static final int IV = 8;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[Aad.MAX];
    private final int icvBytes;
    private final boolean esn;

    JceGcmTransform(byte[] keyAndSalt, int icvBytes, boolean esn) {
        int keyLen = keyAndSalt.length - 4;
        this.key = new SecretKeySpec(keyAndSalt, 0, keyLen, "AES");
        System.arraycopy(keyAndSalt, keyLen, nonce, 0, 4);
        this.icvBytes = icvBytes;
        this.esn = esn;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable in JCE", e);
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
            init(Cipher.ENCRYPT_MODE, buf, off);
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
            init(Cipher.DECRYPT_MODE, buf, off);
            cipher.updateAAD(aad, 0, Aad.write(aad, buf, off, esn, seqHi));
            cipher.doFinal(buf, ctOff, off + len - ctOff, buf, ctOff);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    private void init(int mode, byte[] buf, int off) throws GeneralSecurityException {
        System.arraycopy(buf, off + ESP_HEADER, nonce, 4, IV);
        cipher.init(mode, key, new GCMParameterSpec(icvBytes * 8, nonce));
    }
}
