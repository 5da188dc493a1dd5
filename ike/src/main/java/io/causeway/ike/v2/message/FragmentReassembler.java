package io.causeway.ike.v2.message;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects decrypted and authenticated SKF fragments (RFC 7383 2.6) into the inner payload chain of
 * one message, keyed by message id. Sans-IO and single-threaded: one per IKE SA and direction.
 * Limits keep a peer from pinning memory: fragments per message, bytes per message, messages at once.
 */
public final class FragmentReassembler {
    public static final int DEFAULT_MAX_FRAGMENTS = 128;
    public static final int DEFAULT_MAX_BYTES = 65535;
    public static final int DEFAULT_MAX_MESSAGES = 4;

    /** What became of one offered fragment. */
    public sealed interface Outcome permits Incomplete, Complete, Rejected {
    }

    /** Stored; more fragments are needed. */
    public record Incomplete(long messageId, int received, int total) implements Outcome {
    }

    /** The last missing fragment arrived: the inner payload chain in order, and its first payload type. */
    public record Complete(long messageId, int firstInnerType, byte[] innerChain) implements Outcome {
        public Complete {
            innerChain = innerChain.clone();
        }

        @Override
        public byte[] innerChain() {
            return innerChain.clone();
        }
    }

    /**
     * The fragment was not used: a duplicate (normal with retransmissions), an out-of-range number, a
     * stale total, or a limit. {@code discardedMessage} says whether the collected fragments were dropped too.
     */
    public record Rejected(long messageId, String reason, boolean discardedMessage) implements Outcome {
    }

    private final int maxFragments;
    private final int maxBytes;
    private final int maxMessages;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();

    public FragmentReassembler() {
        this(DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_BYTES, DEFAULT_MAX_MESSAGES);
    }

    public FragmentReassembler(int maxFragments, int maxBytes, int maxMessages) {
        if (maxFragments < 1 || maxBytes < 1 || maxMessages < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxFragments = maxFragments;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
    }

    /** Offers a fragment whose SKF payload was authenticated and decrypted; plaintext has padding removed. */
    public Outcome offer(long messageId, SkfPayload fragment, byte[] plaintext) {
        return offer(messageId, fragment.fragmentNumber(), fragment.totalFragments(), fragment.firstInnerType(), plaintext);
    }

    public Outcome offer(long messageId, int fragmentNumber, int totalFragments, int firstInnerType, byte[] plaintext) {
        if (totalFragments < 1 || fragmentNumber < 1 || fragmentNumber > totalFragments) {
            return new Rejected(messageId, "fragment " + fragmentNumber + " of " + totalFragments, false);
        }
        if (totalFragments > maxFragments) {
            return new Rejected(messageId, totalFragments + " fragments announced, limit " + maxFragments, false);
        }
        if (fragmentNumber == 1 && firstInnerType == PayloadType.NONE) {
            return new Rejected(messageId, "fragment 1 names no first inner payload", false);
        }
        Pending state = pending.get(messageId);
        if (state != null && totalFragments > state.fragments.length) {
            // RFC 7383 2.6: the sender re-fragmented with a smaller size; start over
            pending.remove(messageId);
            state = null;
        }
        if (state == null) {
            if (pending.size() >= maxMessages) {
                return new Rejected(messageId, pending.size() + " messages already being reassembled", false);
            }
            state = new Pending(totalFragments);
            pending.put(messageId, state);
        } else if (totalFragments < state.fragments.length) {
            return new Rejected(messageId, "fragment of an older fragmentation (" + totalFragments + " < "
                    + state.fragments.length + " fragments)", false);
        }
        if (state.fragments[fragmentNumber - 1] != null) {
            return new Rejected(messageId, "duplicate fragment " + fragmentNumber, false);
        }
        if ((long) state.bytes + plaintext.length > maxBytes) {
            pending.remove(messageId);
            return new Rejected(messageId, "reassembled message would exceed " + maxBytes + " bytes", true);
        }
        state.fragments[fragmentNumber - 1] = plaintext.clone();
        state.bytes += plaintext.length;
        state.received++;
        if (fragmentNumber == 1) {
            state.firstInnerType = firstInnerType;
        }
        if (state.received < state.fragments.length) {
            return new Incomplete(messageId, state.received, state.fragments.length);
        }
        pending.remove(messageId);
        ByteArrayOutputStream chain = new ByteArrayOutputStream(state.bytes);
        for (byte[] part : state.fragments) {
            chain.writeBytes(part);
        }
        return new Complete(messageId, state.firstInnerType, chain.toByteArray());
    }

    /** Drops what was collected for one message, e.g. when its exchange is over. */
    public void discard(long messageId) {
        pending.remove(messageId);
    }

    public void clear() {
        pending.clear();
    }

    /** Messages with some but not all fragments. */
    public int inProgress() {
        return pending.size();
    }

    private static final class Pending {
        final byte[][] fragments;
        int received;
        int bytes;
        int firstInnerType;

        Pending(int total) {
            fragments = new byte[total][];
        }
    }
}
