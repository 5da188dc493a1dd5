package io.causeway.esp.crypto;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;

/** CBC chaining (NIST SP 800-38A 6.2) in place over a Bouncy Castle block cipher engine. */
final class BcCbcCipher implements CbcCipher {
    private final BlockCipher encryptor;
    private final BlockCipher decryptor;
    private final int block;
    private final byte[] previous;
    private final byte[] current;

    BcCbcCipher(BlockCipher encryptor, BlockCipher decryptor, byte[] key) {
        this.encryptor = encryptor;
        this.decryptor = decryptor;
        encryptor.init(true, new KeyParameter(key));
        decryptor.init(false, new KeyParameter(key));
        this.block = encryptor.getBlockSize();
        this.previous = new byte[block];
        this.current = new byte[block];
    }

    @Override
    public int blockBytes() {
        return block;
    }

    @Override
    public void encrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff) {
        byte[] chain = ivBuf;
        int chainOff = ivOff;
        for (int p = off; p < off + len; p += block) {
            for (int i = 0; i < block; i++) {
                buf[p + i] ^= chain[chainOff + i];
            }
            encryptor.processBlock(buf, p, buf, p);
            chain = buf;
            chainOff = p;
        }
    }

    @Override
    public void decrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff) {
        System.arraycopy(ivBuf, ivOff, previous, 0, block);
        for (int p = off; p < off + len; p += block) {
            System.arraycopy(buf, p, current, 0, block);
            decryptor.processBlock(buf, p, buf, p);
            for (int i = 0; i < block; i++) {
                buf[p + i] ^= previous[i];
            }
            System.arraycopy(current, 0, previous, 0, block);
        }
    }
}
