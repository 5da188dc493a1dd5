package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.util.Arrays;

/**
 * Where the parts of an SK (RFC 7296 3.14) or SKF (RFC 7383 2.5) payload lie inside a whole IKE
 * message, for the code that encrypts, decrypts and checks integrity:
 * <pre>
 *  0                    encryptedOffset   ciphertextOffset              icvOffset      length
 *  | IKE header | unencrypted payloads | SK(F) header |  IV  | ciphertext incl. padding | ICV |
 *  |<------------- associated data (AEAD, RFC 5282 5.1) ---->|
 *  |<------------------ integrity-checked octets (non-AEAD, RFC 7296 3.14) ------------->|
 * </pre>
 * For SKF the SK(F) header includes Fragment Number and Total Fragments, so they are part of the
 * associated data. {@link #message()} is the live array: when sending, write the IV, the ciphertext
 * and the ICV into it in place.
 */
public final class SkLayout {
    private final byte[] message;
    private final int encryptedOffset;
    private final int ivLength;
    private final int icvLength;

    SkLayout(byte[] message, int encryptedOffset, int ivLength, int icvLength) throws InvalidMessageException {
        if (ivLength < 0 || icvLength < 0) {
            throw new IllegalArgumentException("negative IV or ICV length");
        }
        if (message.length - encryptedOffset < ivLength + icvLength) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "encrypted part of " + (message.length - encryptedOffset)
                    + " bytes cannot hold a " + ivLength + "-byte IV and a " + icvLength + "-byte ICV");
        }
        this.message = message;
        this.encryptedOffset = encryptedOffset;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
    }

    /**
     * Ciphertext length for plaintext of the given length plus the Pad Length octet, padded to the cipher's
     * block size (RFC 7296 3.14: padding is at most blockSize - 1 octets here, the minimum).
     */
    public static int paddedLength(int plaintextLength, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        int withPadLength = plaintextLength + 1;
        return (withPadLength + blockSize - 1) / blockSize * blockSize;
    }

    /**
     * The length of the inner payload chain inside decrypted ciphertext: strips the padding that the last
     * octet (Pad Length) announces. The padding content is not checked (RFC 7296 3.14 says not to).
     */
    public static int innerLength(byte[] decrypted, int offset, int length) throws InvalidMessageException {
        if (length < 1) {
            throw new InvalidMessageException(Reason.TRUNCATED, "decrypted SK content is empty (no Pad Length octet)");
        }
        int padLength = decrypted[offset + length - 1] & 0xff;
        if (padLength + 1 > length) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "pad length " + padLength + " exceeds the "
                    + length + " decrypted bytes");
        }
        return length - padLength - 1;
    }

    /** The whole message; live, not a copy. */
    public byte[] message() {
        return message;
    }

    public int length() {
        return message.length;
    }

    /** First octet of the IV: also the end of the associated data. */
    public int encryptedOffset() {
        return encryptedOffset;
    }

    public int ivOffset() {
        return encryptedOffset;
    }

    public int ivLength() {
        return ivLength;
    }

    public int ciphertextOffset() {
        return encryptedOffset + ivLength;
    }

    public int ciphertextLength() {
        return message.length - icvLength - ciphertextOffset();
    }

    public int icvOffset() {
        return message.length - icvLength;
    }

    public int icvLength() {
        return icvLength;
    }

    /** AEAD associated data: offset 0, this many octets (IKE header through the SK/SKF payload header). */
    public int associatedDataLength() {
        return encryptedOffset;
    }

    /** Non-AEAD integrity input: offset 0, this many octets (IKE header through the end of the ciphertext). */
    public int integrityCheckedLength() {
        return icvOffset();
    }

    public byte[] associatedData() {
        return Arrays.copyOfRange(message, 0, associatedDataLength());
    }

    public byte[] iv() {
        return Arrays.copyOfRange(message, ivOffset(), ivOffset() + ivLength);
    }

    public byte[] ciphertext() {
        return Arrays.copyOfRange(message, ciphertextOffset(), icvOffset());
    }

    public byte[] icv() {
        return Arrays.copyOfRange(message, icvOffset(), message.length);
    }

    @Override
    public String toString() {
        return "SkLayout[aad 0.." + encryptedOffset + ", iv " + ivLength + ", ciphertext " + ciphertextLength()
                + ", icv " + icvLength + "]";
    }
}
