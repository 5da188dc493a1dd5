package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-GCM for ESP (RFC 4106) assembled from Bouncy Castle's AES engine and GHASH multiplier, following
 * NIST SP 800-38D section 7. Bouncy Castle's GCMBlockCipher needs new AEADParameters per packet; driving
 * the primitives directly keeps this path free of per-packet allocation.
 */
final class BcGcmTransform implements EspTransform {
    private static final int ESP_HEADER = 8;
    private static final int IV = 8;
    private static final int BLOCK = 16;

    private final BlockCipher aes = AESEngine.newInstance();
    private final GCMMultiplier ghash = new Tables4kGCMMultiplier();
    private final byte[] j0 = new byte[BLOCK];
    private final byte[] counter = new byte[BLOCK];
    private final byte[] keystream = new byte[BLOCK];
    private final byte[] hash = new byte[BLOCK];
    private final byte[] tag = new byte[BLOCK];
    private final byte[] aad = new byte[Aad.MAX];
    private final int icvBytes;
    private final boolean esn;
    private long aadBits;

    BcGcmTransform(byte[] keyAndSalt, int icvBytes, boolean esn) {
        int keyLen = keyAndSalt.length - 4;
        aes.init(true, new KeyParameter(keyAndSalt, 0, keyLen));
        byte[] h = new byte[BLOCK];
        aes.processBlock(h, 0, h, 0);
        ghash.init(h);
        System.arraycopy(keyAndSalt, keyLen, j0, 0, 4);
        this.icvBytes = icvBytes;
        this.esn = esn;
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
        start(buf, off, seqHi);
        for (int pos = 0; pos < ptLen; pos += BLOCK) {
            int n = Math.min(BLOCK, ptLen - pos);
            xorKeystream(buf, ptOff + pos, n);
            absorb(buf, ptOff + pos, n);
        }
        finish(ptLen);
        System.arraycopy(tag, 0, buf, ptOff + ptLen, icvBytes);
    }

    @Override
    public boolean open(byte[] buf, int off, int len, int seqHi) {
        int ctOff = off + ESP_HEADER + IV;
        int ctLen = len - ESP_HEADER - IV - icvBytes;
        start(buf, off, seqHi);
        for (int pos = 0; pos < ctLen; pos += BLOCK) {
            int n = Math.min(BLOCK, ctLen - pos);
            absorb(buf, ctOff + pos, n);
            xorKeystream(buf, ctOff + pos, n);
        }
        finish(ctLen);
        return Bytes.constantTimeEquals(tag, 0, buf, ctOff + ctLen, icvBytes);
    }

    /** J0 = salt || IV || 1 (96-bit nonce case); GHASH starts over the zero-padded AAD. */
    private void start(byte[] buf, int off, int seqHi) {
        System.arraycopy(buf, off + ESP_HEADER, j0, 4, IV);
        j0[12] = 0;
        j0[13] = 0;
        j0[14] = 0;
        j0[15] = 1;
        System.arraycopy(j0, 0, counter, 0, BLOCK);
        Arrays.fill(hash, (byte) 0);
        int aadLen = Aad.write(aad, buf, off, esn, seqHi);
        absorb(aad, 0, aadLen);
        aadBits = (long) aadLen * 8;
    }

    private void xorKeystream(byte[] buf, int at, int n) {
        incrementCounter();
        aes.processBlock(counter, 0, keystream, 0);
        for (int i = 0; i < n; i++) {
            buf[at + i] ^= keystream[i];
        }
    }

    private void absorb(byte[] src, int at, int n) {
        for (int i = 0; i < n; i++) {
            hash[i] ^= src[at + i];
        }
        ghash.multiplyH(hash);
    }

    /** Tag = E(K, J0) xor GHASH(A, C, len(A) || len(C)). */
    private void finish(int textLen) {
        Bytes.writeLong(keystream, 0, aadBits);
        Bytes.writeLong(keystream, 8, (long) textLen * 8);
        absorb(keystream, 0, BLOCK);
        aes.processBlock(j0, 0, tag, 0);
        for (int i = 0; i < BLOCK; i++) {
            tag[i] ^= hash[i];
        }
    }

    /** inc32: only the low 32 bits of the counter block count (SP 800-38D 6.2). */
    private void incrementCounter() {
        for (int i = 15; i >= 12; i--) {
            if (++counter[i] != 0) {
                return;
            }
        }
    }
}
