package io.causeway.esp.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CBC on SunJCE without a per-packet init: the ciphers are initialised once with an all-zero IV, and the
 * packet IV is folded into the first block instead. CBC with IV v over P1..Pn equals CBC with IV 0 over
 * (P1 xor v), P2..Pn, and doFinal() returns the cipher to its initial zero IV for the next packet.
 * SunJCE copies its whole input to a new array when input and output overlap, so the cipher writes into a
 * per-thread scratch array that is copied back: one memcpy instead of one allocation per packet.
 */
final class JceCbcCipher implements CbcCipher {
    private final Cipher encryptor;
    private final Cipher decryptor;
    private final int block;
    private byte[] scratch = new byte[2048];

    JceCbcCipher(String algorithm, byte[] key, int block) {
        this.block = block;
        try {
            SecretKeySpec spec = new SecretKeySpec(key, algorithm);
            IvParameterSpec zero = new IvParameterSpec(new byte[block]);
            encryptor = Cipher.getInstance(algorithm + "/CBC/NoPadding");
            encryptor.init(Cipher.ENCRYPT_MODE, spec, zero);
            decryptor = Cipher.getInstance(algorithm + "/CBC/NoPadding");
            decryptor.init(Cipher.DECRYPT_MODE, spec, zero);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + "/CBC unavailable in JCE", e);
        }
    }

    @Override
    public int blockBytes() {
        return block;
    }

    @Override
    public void encrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff) {
        xorBlock(buf, off, ivBuf, ivOff);
        try {
            encryptor.doFinal(buf, off, len, scratch(len), 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC encrypt failed", e);
        }
        System.arraycopy(scratch, 0, buf, off, len);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff) {
        try {
            decryptor.doFinal(buf, off, len, scratch(len), 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC decrypt failed", e);
        }
        System.arraycopy(scratch, 0, buf, off, len);
        xorBlock(buf, off, ivBuf, ivOff);
    }

    /** Grows only for packets larger than any seen before on this thread. */
    private byte[] scratch(int len) {
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        return scratch;
    }

    private void xorBlock(byte[] buf, int off, byte[] iv, int ivOff) {
        for (int i = 0; i < block; i++) {
            buf[off + i] ^= iv[ivOff + i];
        }
    }
}
