package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over the JDK's MessageDigest, which uses the SHA intrinsics. javax.crypto.Mac returns a
 * fresh array from every doFinal; MessageDigest.digest(buf, off, len) writes into ours, so nothing is
 * allocated per packet.
 */
final class JceHmac implements Icv {
    private final MessageDigest md;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final byte[] digest;
    private final byte[] seqHiBytes = new byte[4];
    private final int icvBytes;

    JceHmac(String digestName, int hashBlock, int digestLen, int icvBytes, byte[] key) {
        try {
            this.md = MessageDigest.getInstance(digestName);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digestName + " unavailable in JCE", e);
        }
        byte[] k = key.length > hashBlock ? md.digest(key) : key;
        innerPad = Arrays.copyOf(k, hashBlock);
        outerPad = Arrays.copyOf(k, hashBlock);
        for (int i = 0; i < hashBlock; i++) {
            innerPad[i] ^= 0x36;
            outerPad[i] ^= 0x5c;
        }
        this.digest = new byte[digestLen];
        this.icvBytes = icvBytes;
    }

    @Override
    public int icvBytes() {
        return icvBytes;
    }

    @Override
    public void compute(byte[] buf, int off, int len, boolean esn, int seqHi, byte[] out, int outOff) {
        try {
            md.update(innerPad);
            md.update(buf, off, len);
            if (esn) {
                Bytes.writeInt(seqHiBytes, 0, seqHi);
                md.update(seqHiBytes);
            }
            md.digest(digest, 0, digest.length);
            md.update(outerPad);
            md.update(digest);
            md.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
        System.arraycopy(digest, 0, out, outOff, icvBytes);
    }
}
