package io.causeway.ike.v1.message;

import java.io.ByteArrayOutputStream;

/**
 * Collects IKEv1 fragment payloads (type 132) into the original datagram. One per ISAKMP SA (or per
 * half-open SA, keyed by the engine on the cookies), holding one message at a time. Bounded: fragment
 * numbers 1..{@value #MAX_FRAGMENTS}, at most {@value #MAX_BYTES} octets in all. A fragment with another
 * fragment id than the pending ones starts a new message (the pending one is dropped, as strongSwan
 * does); duplicates are ignored. The message is complete when the LAST fragment and every number
 * before it are in. The result is unauthenticated input like any datagram: the engine decodes it
 * and checks that its cookies are the SA's.
 */
public final class V1FragmentReassembler {
    public static final int MAX_FRAGMENTS = 16;
    public static final int MAX_BYTES = 64 * 1024;

    /** What became of one offered fragment. */
    public sealed interface Outcome permits Incomplete, Complete, Rejected {
    }

    /** Stored; more fragments are needed. {@code last} is the number of the LAST fragment, 0 while unknown. */
    public record Incomplete(int fragmentId, int received, int last) implements Outcome {
    }

    /** Every fragment is in: the original datagram, ISAKMP header included. */
    public record Complete(int fragmentId, byte[] datagram) implements Outcome {
        public Complete {
            datagram = datagram.clone();
        }

        @Override
        public byte[] datagram() {
            return datagram.clone();
        }
    }

    /** Not used: a duplicate, a number out of range, a limit. {@code discardedMessage}: the pending fragments were dropped too. */
    public record Rejected(int fragmentId, String reason, boolean discardedMessage) implements Outcome {
    }

    private int fragmentId = -1;
    private final byte[][] fragments = new byte[MAX_FRAGMENTS][];
    private int received;
    private int bytes;
    private int last;

    public Outcome offer(FragmentPayload1 fragment) {
        int id = fragment.fragmentId();
        int number = fragment.number();
        if (number < 1 || number > MAX_FRAGMENTS) {
            return new Rejected(id, "fragment number " + number + " outside 1.." + MAX_FRAGMENTS, false);
        }
        if (fragmentId != id) {
            discard();
            fragmentId = id;
        }
        if (fragments[number - 1] != null) {
            return new Rejected(id, "duplicate fragment " + number, false);
        }
        if (last != 0 && number > last) {
            return new Rejected(id, "fragment " + number + " after the last one, " + last, false);
        }
        if (fragment.last()) {
            for (int n = number + 1; n <= MAX_FRAGMENTS; n++) {
                if (fragments[n - 1] != null) {
                    discard();
                    return new Rejected(id, "last fragment " + number + " but fragment " + n + " was received", true);
                }
            }
            last = number;
        }
        byte[] data = fragment.data();
        if ((long) bytes + data.length > MAX_BYTES) {
            discard();
            return new Rejected(id, "reassembled message would exceed " + MAX_BYTES + " bytes", true);
        }
        fragments[number - 1] = data;
        bytes += data.length;
        received++;
        if (last == 0 || received < last) {
            return new Incomplete(id, received, last);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes);
        for (int i = 0; i < last; i++) {
            out.writeBytes(fragments[i]);
        }
        discard();
        return new Complete(id, out.toByteArray());
    }

    /** Drops the pending fragments. */
    public void discard() {
        for (int i = 0; i < MAX_FRAGMENTS; i++) {
            fragments[i] = null;
        }
        fragmentId = -1;
        received = 0;
        bytes = 0;
        last = 0;
    }

    /** Whether some but not all fragments of a message are held. */
    public boolean inProgress() {
        return received > 0;
    }
}
