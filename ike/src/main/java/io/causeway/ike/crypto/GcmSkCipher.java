package io.causeway.ike.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SK payload with AES-GCM (RFC 5282): nonce = 4-byte salt from SK_e | 8-byte explicit IV, AAD = the IKE
 * header and the SK generic header, no padding. IVs are a 64-bit counter started at a random value,
 * so they never repeat under one key.
 */
final class GcmSkCipher implements SkCipher {
    private final EncryptionAlgorithm encryption;
    private final KeyParameter key;
    private final byte[] salt;
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    private long nextIv;

    GcmSkCipher(EncryptionAlgorithm encryption, byte[] encryptionKey, RandomSource random) {
        if (!encryption.aead()) {
            throw new IllegalArgumentException(encryption + " is not AES-GCM");
        }
        int keyLength = encryptionKey.length - EncryptionAlgorithm.GCM_SALT_BYTES;
        this.encryption = encryption;
        this.key = new KeyParameter(Arrays.copyOf(encryptionKey, keyLength));
        this.salt = Arrays.copyOfRange(encryptionKey, keyLength, encryptionKey.length);
        byte[] start = random.nextBytes(8);
        for (byte b : start) {
            nextIv = (nextIv << 8) | (b & 0xff);
        }
    }

    @Override
    public int ivLength() {
        return EncryptionAlgorithm.GCM_IV_BYTES;
    }

    @Override
    public int icvLength() {
        return encryption.aeadIcvBytes();
    }

    @Override
    public int blockSize() {
        return 1;
    }

    @Override
    public int encrypt(byte[] message, int headerOffset, int ivOffset, int plaintextLength) {
        long iv = nextIv++;
        for (int i = 0; i < 8; i++) {
            message[ivOffset + i] = (byte) (iv >>> (56 - 8 * i));
        }
        int dataOffset = ivOffset + ivLength();
        int padLengthOffset = dataOffset + plaintextLength;
        message[padLengthOffset] = 0;
        init(true, message, headerOffset, ivOffset);
        int length = plaintextLength + 1;
        int written = gcm.processBytes(message, dataOffset, length, message, dataOffset);
        try {
            written += gcm.doFinal(message, dataOffset + written);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return dataOffset + written;
    }

    @Override
    public int decrypt(byte[] message, int headerOffset, int ivOffset, int endOffset) throws SkPayloadException {
        int dataOffset = ivOffset + ivLength();
        int sealedLength = endOffset - dataOffset;
        if (headerOffset > ivOffset || endOffset > message.length || sealedLength < icvLength() + 1) {
            throw new MalformedEncryptedPayloadException("SK payload too short for IV, Pad Length and ICV");
        }
        // Decrypt into a copy: the buffer only receives plaintext once the tag has verified.
        byte[] sealed = Arrays.copyOfRange(message, dataOffset, endOffset);
        byte[] plain = new byte[sealedLength - icvLength()];
        init(false, message, headerOffset, ivOffset);
        try {
            int n = gcm.processBytes(sealed, 0, sealed.length, plain, 0);
            gcm.doFinal(plain, n);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(plain, (byte) 0);
            throw new IntegrityCheckException("SK payload ICV does not verify");
        }
        System.arraycopy(plain, 0, message, dataOffset, plain.length);
        Arrays.fill(plain, (byte) 0);
        int padLength = message[dataOffset + plain.length - 1] & 0xff;
        if (padLength + 1 > plain.length) {
            throw new MalformedEncryptedPayloadException("SK payload Pad Length " + padLength + " exceeds its data");
        }
        return plain.length - padLength - 1;
    }

    private void init(boolean encrypt, byte[] message, int headerOffset, int ivOffset) {
        byte[] nonce = new byte[salt.length + ivLength()];
        System.arraycopy(salt, 0, nonce, 0, salt.length);
        System.arraycopy(message, ivOffset, nonce, salt.length, ivLength());
        byte[] aad = Arrays.copyOfRange(message, headerOffset, ivOffset);
        gcm.init(encrypt, new AEADParameters(key, icvLength() * 8, nonce, aad));
    }

    @Override
    public String toString() {
        return "SkCipher[" + encryption + "-" + key.getKeyLength() * 8 + "]";
    }
}
