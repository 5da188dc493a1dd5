package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * CBC IVs must be unpredictable (RFC 3602 3, NIST SP 800-38A appendix C). IV = AES_k(seq || nonce), truncated
 * to the cipher block, where k and nonce are random per SA, drawn once from SecureRandom and independent of
 * the traffic keys. Why this is safe: the sequence number never repeats within an SA, so the AES inputs are
 * distinct; AES under a secret key is a pseudorandom permutation, so the IVs are distinct and, to anyone
 * without k, indistinguishable from random, i.e. unpredictable before the packet is sent. It costs one AES
 * block per packet and no allocation, where SecureRandom per packet would cost a lock and far more time.
 */
public final class EncryptedCounterIv implements IvGenerator {
    /** AES-128 key followed by an 8-byte nonce. */
    public static final int SECRET_BYTES = 24;

    private final Block aes;
    private final byte[] nonce = new byte[8];
    private final byte[] input = new byte[16];
    private final byte[] output = new byte[16];
    private final int ivBytes;

    public EncryptedCounterIv(byte[] secret, int ivBytes, boolean jce) {
        byte[] key = java.util.Arrays.copyOf(secret, 16);
        System.arraycopy(secret, 16, nonce, 0, 8);
        this.aes = jce ? new JceBlock(key) : new BcBlock(key);
        this.ivBytes = ivBytes;
    }

    @Override
    public void write(long sequence, byte[] buf, int off) {
        Bytes.writeLong(input, 0, sequence);
        System.arraycopy(nonce, 0, input, 8, 8);
        aes.encrypt(input, output);
        System.arraycopy(output, 0, buf, off, ivBytes);
    }

    private interface Block {
        void encrypt(byte[] in, byte[] out);
    }

    private static final class BcBlock implements Block {
        private final BlockCipher engine = AESEngine.newInstance();

        BcBlock(byte[] key) {
            engine.init(true, new KeyParameter(key));
        }

        @Override
        public void encrypt(byte[] in, byte[] out) {
            engine.processBlock(in, 0, out, 0);
        }
    }

    private static final class JceBlock implements Block {
        private final Cipher ecb;

        JceBlock(byte[] key) {
            try {
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB unavailable in JCE", e);
            }
        }

        @Override
        public void encrypt(byte[] in, byte[] out) {
            try {
                ecb.doFinal(in, 0, 16, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/ECB failed", e);
            }
        }
    }
}
