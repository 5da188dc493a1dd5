package io.causeway.ike.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * SK payload with a CBC cipher and a truncated HMAC over the whole message up to the ICV
 * (RFC 7296 section 3.14): random IV per message, zero padding to the block size.
 */
final class CbcHmacSkCipher implements SkCipher {
    private final EncryptionAlgorithm encryption;
    private final KeyParameter cipherKey;
    private final IntegrityAlgorithm integrity;
    private final HMac mac;
    private final RandomSource random;
    private final byte[] icvScratch;

    CbcHmacSkCipher(EncryptionAlgorithm encryption, byte[] encryptionKey, IntegrityAlgorithm integrity,
                    byte[] integrityKey, RandomSource random) {
        if (encryption.aead()) {
            throw new IllegalArgumentException(encryption + " is not a CBC cipher");
        }
        this.encryption = encryption;
        this.cipherKey = new KeyParameter(encryptionKey.clone());
        this.integrity = integrity;
        this.mac = new HMac(integrity.hmac().newDigest());
        this.mac.init(new KeyParameter(integrityKey));
        this.random = random;
        this.icvScratch = new byte[mac.getMacSize()];
    }

    private BlockCipher newEngine() {
        return switch (encryption) {
            case DES_CBC -> new DESEngine();
            case TRIPLE_DES_CBC -> new DESedeEngine();
            default -> AESEngine.newInstance();
        };
    }

    @Override
    public int ivLength() {
        return encryption.cipherBlockBytes();
    }

    @Override
    public int icvLength() {
        return integrity.icvBytes();
    }

    @Override
    public int blockSize() {
        return encryption.cipherBlockBytes();
    }

    @Override
    public int encrypt(byte[] message, int headerOffset, int ivOffset, int plaintextLength) {
        int dataOffset = ivOffset + ivLength();
        int padding = paddingLength(plaintextLength);
        int padLengthOffset = dataOffset + plaintextLength + padding - 1;
        Arrays.fill(message, dataOffset + plaintextLength, padLengthOffset, (byte) 0);
        message[padLengthOffset] = (byte) (padding - 1);
        byte[] iv = random.nextBytes(ivLength());
        System.arraycopy(iv, 0, message, ivOffset, iv.length);
        int icvOffset = padLengthOffset + 1;
        cbc(true, iv, message, dataOffset, icvOffset - dataOffset);
        computeIcv(message, headerOffset, icvOffset);
        System.arraycopy(icvScratch, 0, message, icvOffset, icvLength());
        return icvOffset + icvLength();
    }

    @Override
    public int decrypt(byte[] message, int headerOffset, int ivOffset, int endOffset) throws SkPayloadException {
        int dataOffset = ivOffset + ivLength();
        int icvOffset = endOffset - icvLength();
        int dataLength = icvOffset - dataOffset;
        if (headerOffset > ivOffset || endOffset > message.length || dataLength < blockSize()) {
            throw new MalformedEncryptedPayloadException("SK payload too short for IV, one block and ICV");
        }
        if (dataLength % blockSize() != 0) {
            throw new MalformedEncryptedPayloadException("SK payload data is not a whole number of cipher blocks");
        }
        computeIcv(message, headerOffset, icvOffset);
        if (!Octets.constantTimeEquals(icvScratch, 0, message, icvOffset, icvLength())) {
            throw new IntegrityCheckException("SK payload ICV does not verify");
        }
        byte[] iv = Arrays.copyOfRange(message, ivOffset, dataOffset);
        cbc(false, iv, message, dataOffset, dataLength);
        int padLength = message[icvOffset - 1] & 0xff;
        if (padLength + 1 > dataLength) {
            throw new MalformedEncryptedPayloadException("SK payload Pad Length " + padLength + " exceeds its data");
        }
        return dataLength - padLength - 1;
    }

    private void computeIcv(byte[] message, int from, int to) {
        mac.reset();
        mac.update(message, from, to - from);
        mac.doFinal(icvScratch, 0);
    }

    private void cbc(boolean encrypt, byte[] iv, byte[] buf, int off, int len) {
        CBCModeCipher cbc = CBCBlockCipher.newInstance(newEngine());
        cbc.init(encrypt, new ParametersWithIV(cipherKey, iv));
        for (int i = 0; i < len; i += blockSize()) {
            cbc.processBlock(buf, off + i, buf, off + i);
        }
    }

    @Override
    public String toString() {
        return "SkCipher[" + encryption + "/" + integrity + "]";
    }
}
