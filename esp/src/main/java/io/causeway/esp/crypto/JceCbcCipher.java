package io.causeway.esp.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CBC through a JCE Cipher without a per-packet init: the ciphers are initialised once with an all-zero IV, and
 * the packet IV is folded into the first block instead. CBC with IV v over P1..Pn equals CBC with IV 0 over
 * (P1 xor v), P2..Pn, and doFinal() returns the cipher to its initial zero IV for the next packet (SunJCE and
 * ACCP both do). SunJCE copies its whole input to a new array when input and output overlap, so on SunJCE the
 * cipher writes into a per-thread scratch array that is copied back: one memcpy instead of one allocation per
 * packet. ACCP works in place when output starts where input does, and gets the buffer itself.
 */
final class JceCbcCipher implements CbcCipher {
    private final Cipher encryptor;
    private final Cipher decryptor;
    private final int block;
    private final boolean inPlace;
    private byte[] scratch;

    /** SunJCE: DES, DESede or AES. */
    JceCbcCipher(String algorithm, byte[] key, int block) {
        this(algorithm, key, block, null);
    }

    /** @param provider ACCP (AES only), or null for SunJCE */
    JceCbcCipher(String algorithm, byte[] key, int block, Provider provider) {
        this.block = block;
        this.inPlace = provider != null;
        this.scratch = inPlace ? null : new byte[2048];
        try {
            SecretKeySpec spec = new SecretKeySpec(key, algorithm);
            IvParameterSpec zero = new IvParameterSpec(new byte[block]);
            encryptor = cipher(algorithm + "/CBC/NoPadding", provider);
            encryptor.init(Cipher.ENCRYPT_MODE, spec, zero);
            decryptor = cipher(algorithm + "/CBC/NoPadding", provider);
            decryptor.init(Cipher.DECRYPT_MODE, spec, zero);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + "/CBC unavailable in " + (provider == null ? "JCE" : provider.getName()), e);
        }
    }

    private static Cipher cipher(String transformation, Provider provider) throws GeneralSecurityException {
        return provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
    }

    /** Which provider runs it: SunJCE, or ACCP when that was asked for and loaded. */
    Provider provider() {
        return encryptor.getProvider();
    }

    @Override
    public int blockBytes() {
        return block;
    }

    @Override
    public void encrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff) {
        xorBlock(buf, off, ivBuf, ivOff);
        run(encryptor, buf, off, len);
    }

    @Override
    public void decrypt(byte[] buf, int off, int len, byte[] ivBuf, int ivOff) {
        run(decryptor, buf, off, len);
        xorBlock(buf, off, ivBuf, ivOff);
    }

    private void run(Cipher cipher, byte[] buf, int off, int len) {
        try {
            if (inPlace) {
                cipher.doFinal(buf, off, len, buf, off);
                return;
            }
            cipher.doFinal(buf, off, len, scratch(len), 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC failed", e);
        }
        System.arraycopy(scratch, 0, buf, off, len);
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
