package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** HMAC through Bouncy Castle's HMac, which keeps the keyed pad states and writes into our array. */
final class BcHmac implements Icv {
    private final HMac mac;
    private final byte[] digest;
    private final byte[] seqHiBytes = new byte[4];
    private final int icvBytes;

    BcHmac(Digest hash, int icvBytes, byte[] key) {
        this.mac = new HMac(hash);
        mac.init(new KeyParameter(key));
        this.digest = new byte[mac.getMacSize()];
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
        mac.doFinal(digest, 0);
        System.arraycopy(digest, 0, out, outOff, icvBytes);
    }
}
