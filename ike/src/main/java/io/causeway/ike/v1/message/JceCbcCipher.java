package io.causeway.ike.v1.message;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link CbcCipher} on javax.crypto with NoPadding: AES (16, 24 or 32-octet keys), 3DES (24) and DES (8).
 * DES and 3DES are legacy, for old peers only. Stateless and thread-safe: a Cipher is made per call.
 */
public final class JceCbcCipher implements CbcCipher {
    private final String transformation;
    private final SecretKeySpec key;
    private final int blockSize;

    private JceCbcCipher(String algorithm, byte[] key, int blockSize) {
        this.transformation = algorithm + "/CBC/NoPadding";
        this.key = new SecretKeySpec(key, algorithm);
        this.blockSize = blockSize;
    }

    public static JceCbcCipher aes(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES key of " + key.length + " bytes, must be 16, 24 or 32");
        }
        return new JceCbcCipher("AES", key, 16);
    }

    public static JceCbcCipher tripleDes(byte[] key) {
        if (key.length != 24) {
            throw new IllegalArgumentException("3DES key of " + key.length + " bytes, must be 24");
        }
        return new JceCbcCipher("DESede", key, 8);
    }

    public static JceCbcCipher des(byte[] key) {
        if (key.length != 8) {
            throw new IllegalArgumentException("DES key of " + key.length + " bytes, must be 8");
        }
        return new JceCbcCipher("DES", key, 8);
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public byte[] encrypt(byte[] iv, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, iv, plaintext);
    }

    @Override
    public byte[] decrypt(byte[] iv, byte[] ciphertext) {
        return run(Cipher.DECRYPT_MODE, iv, ciphertext);
    }

    private byte[] run(int mode, byte[] iv, byte[] input) {
        if (iv.length != blockSize) {
            throw new IllegalArgumentException("IV of " + iv.length + " bytes, block size " + blockSize);
        }
        if (input.length % blockSize != 0) {
            throw new IllegalArgumentException(input.length + " bytes are not whole " + blockSize + "-byte blocks");
        }
        try {
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(mode, key, new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(transformation + " failed", e);
        }
    }

    @Override
    public String toString() {
        return transformation + "[" + key.getEncoded().length + "-byte key]";
    }
}
