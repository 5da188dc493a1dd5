package io.causeway.ike.v1.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * CBC protection of the payloads after the ISAKMP header (RFC 2409 Appendix B, RFC 2408 section 3.1):
 * one key for the whole phase-1 SA, the IV chained across the messages of an exchange (the first from
 * {@link Phase1Hashes}, then the last ciphertext block of the message before, see {@link #lastBlock}).
 * Plaintext is padded with zero octets ({@link #pad}); a receiver finds the payloads' end from their
 * lengths, not from the padding.
 */
public final class V1MessageCipher {
    private V1MessageCipher() {
    }

    /**
     * {@code payloads} followed by 1 to blockBytes zero octets, up to a multiple of the block size: a whole
     * block when already aligned, as strongSwan 5.9 pads, so the ciphertext is byte for byte what it sends.
     * RFC 2409 Appendix B only asks for padding to the block size; receivers ignore whatever follows the
     * last payload.
     */
    public static byte[] pad(V1Cipher cipher, byte[] payloads) {
        int block = cipher.blockBytes();
        return Arrays.copyOf(payloads, (payloads.length / block + 1) * block);
    }

    /** Encrypts already padded plaintext (a multiple of the block size). */
    public static byte[] encrypt(V1Cipher cipher, byte[] key, byte[] iv, byte[] paddedPlaintext) {
        return process(cipher, true, key, iv, paddedPlaintext);
    }

    /** Decrypts ciphertext (a non-empty multiple of the block size); the result still carries the padding. */
    public static byte[] decrypt(V1Cipher cipher, byte[] key, byte[] iv, byte[] ciphertext) {
        return process(cipher, false, key, iv, ciphertext);
    }

    /** The last cipher block of a message's encrypted part: the IV of the next message of the exchange. */
    public static byte[] lastBlock(V1Cipher cipher, byte[] ciphertext) {
        int block = cipher.blockBytes();
        if (ciphertext.length < block) {
            throw new IllegalArgumentException("ciphertext shorter than one " + block + "-byte block");
        }
        return Arrays.copyOfRange(ciphertext, ciphertext.length - block, ciphertext.length);
    }

    private static byte[] process(V1Cipher cipher, boolean encrypt, byte[] key, byte[] iv, byte[] in) {
        int block = cipher.blockBytes();
        if (in.length == 0 || in.length % block != 0) {
            throw new IllegalArgumentException("CBC input must be a non-empty multiple of " + block + " bytes, not "
                    + in.length);
        }
        if (iv.length != block) {
            throw new IllegalArgumentException("IV must be " + block + " bytes, not " + iv.length);
        }
        boolean keyFits = cipher.variableKeyLength()
                ? key.length == 16 || key.length == 24 || key.length == 32
                : key.length == cipher.keyBytes(0);
        if (!keyFits) {
            throw new IllegalArgumentException(cipher + " cannot take a " + key.length + "-byte key");
        }
        CBCModeCipher cbc = CBCBlockCipher.newInstance(engine(cipher));
        cbc.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[in.length];
        for (int off = 0; off < in.length; off += block) {
            cbc.processBlock(in, off, out, off);
        }
        return out;
    }

    private static BlockCipher engine(V1Cipher cipher) {
        return switch (cipher) {
            case DES_CBC -> new DESEngine();
            case TRIPLE_DES_CBC -> new DESedeEngine();
            case AES_CBC -> AESEngine.newInstance();
        };
    }
}
