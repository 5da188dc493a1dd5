package io.causeway.ike.v1.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The CBC IV chain of one IKEv1 exchange (RFC 2409 Appendix B): each message's IV is the last ciphertext
 * block of the previous message of the exchange. Phase 1 starts from hash(g^xi | g^xr), each quick mode
 * or informational exchange from hash(last phase-1 block | message id). {@code hash} here is always the
 * negotiated hash function of the ISAKMP SA (e.g. SHA-1), not its PRF; the result is cut to the cipher's
 * block size. Not thread-safe: one per exchange, owned by the engine.
 */
public final class IvChain {
    private byte[] current;

    public IvChain(byte[] initialIv) {
        this.current = initialIv.clone();
    }

    /** The IV for the next message to encrypt or decrypt. */
    public byte[] current() {
        return current.clone();
    }

    /** After a message was sent or accepted: its last ciphertext block is the next IV. */
    public void advance(byte[] lastCipherBlock) {
        if (lastCipherBlock.length != current.length) {
            throw new IllegalArgumentException("block of " + lastCipherBlock.length + " bytes, IV of " + current.length);
        }
        current = lastCipherBlock.clone();
    }

    /** Phase-1 IV: the first blockSize octets of hash(g^xi | g^xr) with the negotiated hash. */
    public static byte[] phase1Iv(UnaryOperator<byte[]> hash, byte[] gxi, byte[] gxr, int blockSize) {
        byte[] input = Arrays.copyOf(gxi, gxi.length + gxr.length);
        System.arraycopy(gxr, 0, input, gxi.length, gxr.length);
        return truncate(hash.apply(input), blockSize);
    }

    /**
     * IV of a quick mode or informational exchange: the first blockSize octets of
     * hash(lastPhase1Block | messageId), message id big-endian, with the negotiated hash.
     */
    public static byte[] phase2Iv(UnaryOperator<byte[]> hash, byte[] lastPhase1Block, int messageId, int blockSize) {
        byte[] input = ByteBuffer.allocate(lastPhase1Block.length + 4).put(lastPhase1Block).putInt(messageId).array();
        return truncate(hash.apply(input), blockSize);
    }

    private static byte[] truncate(byte[] digest, int blockSize) {
        if (digest.length < blockSize) {
            throw new IllegalArgumentException("hash of " + digest.length + " bytes is shorter than the block size " + blockSize);
        }
        return Arrays.copyOf(digest, blockSize);
    }

    @Override
    public String toString() {
        return "IvChain[" + current.length + " bytes]";
    }
}
