package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC through a provider's javax.crypto.Mac (ACCP: AWS-LC's HMAC, which keeps the keyed pad states natively).
 * Keyed once per SA and thread. Mac.doFinal(out, off) still has the provider return a fresh array that it then
 * copies out, so this costs one digest-sized array per packet; JceHmac over MessageDigest avoids that on SunJCE.
 */
final class JceMac implements Icv {
    private final Mac mac;
    private final byte[] digest;
    private final byte[] seqHiBytes = new byte[4];
    private final int icvBytes;

    JceMac(String algorithm, int icvBytes, byte[] key, Provider provider) {
        try {
            this.mac = Mac.getInstance(algorithm, provider);
            mac.init(new SecretKeySpec(key, algorithm));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable in " + provider.getName(), e);
        }
        this.digest = new byte[mac.getMacLength()];
        this.icvBytes = icvBytes;
    }

    @Override
    public int icvBytes() {
        return icvBytes;
    }

    @Override
    public void compute(byte[] buf, int off, int len, boolean esn, int seqHi, byte[] out, int outOff) {
        mac.update(buf, off, len);
        if (esn) {
            Bytes.writeInt(seqHiBytes, 0, seqHi);
            mac.update(seqHiBytes, 0, 4);
        }
        try {
            mac.doFinal(digest, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
        System.arraycopy(digest, 0, out, outOff, icvBytes);
    }
}
