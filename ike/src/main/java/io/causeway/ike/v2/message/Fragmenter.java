package io.causeway.ike.v2.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the inner payload chain of a protected message into SKF fragment plaintexts (RFC 7383 2.5),
 * each small enough that its whole IKE message fits the given size once encrypted.
 */
public final class Fragmenter {
    /** IKE header plus SKF generic header plus Fragment Number and Total Fragments. */
    public static final int FRAGMENT_OVERHEAD = IkeHeader.LENGTH + PayloadChain.GENERIC_HEADER_LENGTH
            + SkfPayload.FRAGMENT_FIELDS_LENGTH;
    public static final int MAX_FRAGMENTS = 0xffff;

    private Fragmenter() {
    }

    /**
     * The most inner-chain octets one fragment can carry.
     *
     * @param maxMessageLength the largest IKE message to send: path MTU minus IP and UDP headers and,
     *                         on port 4500, the 4-octet non-ESP marker
     * @param ivLength         IV octets of the negotiated cipher
     * @param icvLength        ICV octets (integrity algorithm's, or the AEAD tag)
     * @param blockSize        cipher block size the padded plaintext must be a multiple of (1 if none)
     */
    public static int maxChunkLength(int maxMessageLength, int ivLength, int icvLength, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        int available = maxMessageLength - FRAGMENT_OVERHEAD - ivLength - icvLength;
        int ciphertext = available / blockSize * blockSize;
        return ciphertext - 1; // the Pad Length octet, with zero padding
    }

    /** The inner chain cut into consecutive chunks for fragments 1..n; throws if the size leaves no room. */
    public static List<byte[]> split(byte[] innerChain, int maxMessageLength, int ivLength, int icvLength, int blockSize) {
        int chunk = maxChunkLength(maxMessageLength, ivLength, icvLength, blockSize);
        if (chunk < 1) {
            throw new IllegalArgumentException("a " + maxMessageLength + "-byte message leaves no room for fragment data");
        }
        int count = Math.max(1, (innerChain.length + chunk - 1) / chunk);
        if (count > MAX_FRAGMENTS) {
            throw new IllegalArgumentException(innerChain.length + " bytes need " + count + " fragments, more than 65535");
        }
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Arrays.copyOfRange(innerChain, i * chunk, Math.min(innerChain.length, (i + 1) * chunk)));
        }
        return List.copyOf(out);
    }
}
