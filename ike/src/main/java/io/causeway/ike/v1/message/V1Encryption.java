package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Encrypted ISAKMP messages (RFC 2409 5.3 and Appendix B): everything after the header is CBC
 * ciphertext of the payload chain, padded to the block size; the header has the E flag and its length
 * covers the padding. The IV is the caller's (see {@link IvChain}); the last ciphertext block is the
 * next IV of the same exchange.
 *
 * <p>Padding, as strongSwan 5.9 sends it: zero octets up to the next block boundary, always at least
 * one (a full block when the chain is aligned). RFC 2409 Appendix B describes a pad-length last octet
 * instead; receivers ignore padding either way, and decryption here stops at the chain's end.
 */
public final class V1Encryption {
    private V1Encryption() {
    }

    /** A decrypted message: header, chain (wire octets from the plaintext) and the next IV. */
    public record Decrypted(IsakmpHeader header, List<DecodedPayload1> payloads, byte[] lastCipherBlock) {
        public Decrypted {
            payloads = List.copyOf(payloads);
            lastCipherBlock = lastCipherBlock.clone();
        }

        @Override
        public byte[] lastCipherBlock() {
            return lastCipherBlock.clone();
        }

        public V1Message message() {
            return new V1Message(header, payloads);
        }

        @Override
        public String toString() {
            return header + " " + payloads;
        }
    }

    /** The whole datagram: header with the E flag, next payload and total length, then the ciphertext. */
    public static byte[] encrypt(IsakmpHeader header, List<? extends V1Payload> payloads, CbcCipher cipher, byte[] iv) {
        return encryptEncoded(header, V1PayloadChain.firstType(payloads), V1PayloadChain.encode(payloads), cipher, iv);
    }

    /** As {@link #encrypt}, for a chain already encoded (e.g. the octets a HASH was computed over). */
    public static byte[] encryptEncoded(IsakmpHeader header, int firstPayloadType, byte[] chain, CbcCipher cipher,
                                        byte[] iv) {
        int bs = cipher.blockSize();
        int padded = chain.length + (bs - chain.length % bs);
        byte[] plaintext = Arrays.copyOf(chain, padded);
        byte[] ciphertext = cipher.encrypt(iv, plaintext);
        if (ciphertext.length != padded) {
            throw new IllegalStateException("cipher returned " + ciphertext.length + " bytes for " + padded);
        }
        int length = IsakmpHeader.LENGTH + ciphertext.length;
        ByteBuffer out = ByteBuffer.allocate(length);
        header.withNextPayload(firstPayloadType).withFlags(header.flags() | IsakmpHeader.FLAG_ENCRYPTION)
                .withLength(length).encode(out);
        out.put(ciphertext);
        return out.array();
    }

    /**
     * Decrypts a datagram with the E flag. The ciphertext (from octet 28 to the header's length) must be a
     * positive multiple of the block size; octets after the header's length are ignored, as is padding
     * after the chain.
     */
    public static Decrypted decrypt(byte[] datagram, CbcCipher cipher, byte[] iv) throws V1ParseException {
        IsakmpHeader header = IsakmpHeader.decode(datagram);
        if (!header.encrypted()) {
            throw new V1ParseException(Reason.BAD_VALUE, "message without the encryption flag");
        }
        int bs = cipher.blockSize();
        int length = header.length() - IsakmpHeader.LENGTH;
        if (length == 0 || length % bs != 0) {
            throw new V1ParseException(Reason.BAD_LENGTH, "ciphertext of " + length + " bytes is not a positive multiple of "
                    + bs);
        }
        byte[] ciphertext = Arrays.copyOfRange(datagram, IsakmpHeader.LENGTH, header.length());
        byte[] plaintext = cipher.decrypt(iv, ciphertext);
        List<DecodedPayload1> chain = V1PayloadChain.decode(header.nextPayload(), plaintext, 0, plaintext.length);
        return new Decrypted(header, chain, Arrays.copyOfRange(ciphertext, length - bs, length));
    }

    /** The last ciphertext block of an encrypted datagram (by its header length), the next IV after sending it. */
    public static byte[] lastCipherBlock(byte[] datagram, int blockSize) {
        if (datagram.length < IsakmpHeader.LENGTH + blockSize) {
            throw new IllegalArgumentException("datagram of " + datagram.length + " bytes has no ciphertext block");
        }
        int end = (int) (ByteBuffer.wrap(datagram, 24, 4).getInt() & 0xffffffffL);
        if (end < IsakmpHeader.LENGTH + blockSize || end > datagram.length) {
            throw new IllegalArgumentException("not an encrypted datagram of " + blockSize + "-byte blocks");
        }
        return Arrays.copyOfRange(datagram, end - blockSize, end);
    }
}
