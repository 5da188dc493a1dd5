package io.causeway.ike.sa;

import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.v2.message.FragmentReassembler;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.PayloadChain;
import java.util.List;

/**
 * Received SKF fragments of one IKE SA (RFC 7383 2.6), one message per direction at a time: each fragment is
 * authenticated and decrypted before it is kept, a fragment of another message id starts over, and what was
 * collected is dropped once it is older than {@link #REASSEMBLY_TIMEOUT_MILLIS}. Memory is bounded by
 * {@link FragmentReassembler}'s limits (128 fragments, 64 KiB) for each of the two messages.
 *
 * <p>The whole message is handed on as a header-only {@link IkeMessage} whose inner payloads only this inbox
 * knows ({@link #innerOf}): an unprotected message from the network can never pass for a reassembled one.
 */
final class FragmentInbox {
    /** A message whose fragments stop coming is given up after this long; the sender retransmits all of them. */
    static final long REASSEMBLY_TIMEOUT_MILLIS = 30_000;

    private final Collecting requests = new Collecting();
    private final Collecting responses = new Collecting();
    private IkeMessage whole;
    private List<Payload> wholeInner;

    /** The fragments of one message so far. */
    private static final class Collecting {
        final FragmentReassembler reassembler = new FragmentReassembler(FragmentReassembler.DEFAULT_MAX_FRAGMENTS,
                FragmentReassembler.DEFAULT_MAX_BYTES, 1);
        long messageId = -1;
        int exchangeType;
        long startedAt;

        void restart(IkeHeader header, long now) {
            reassembler.clear();
            messageId = header.messageId();
            exchangeType = header.exchangeType();
            startedAt = now;
        }

        void clear() {
            reassembler.clear();
            messageId = -1;
        }
    }

    /**
     * Offers one received SKF message whose message id the session expects. Returns the whole message when this
     * was its last missing fragment, else null; a fragment that fails the integrity check or cannot be used is
     * counted in drops.
     */
    IkeMessage offer(IkeMessage fragment, SkProtection sk, EngineContext.DropCounter drops, long now) {
        byte[] plain;
        try {
            plain = sk.unprotectFragment(fragment); // 2.6: integrity first, so forged fragments are never kept
        } catch (InvalidMessageException | SkPayloadException e) {
            drops.drop();
            return null;
        }
        IkeHeader header = fragment.header();
        Collecting c = header.response() ? responses : requests;
        if (c.messageId != header.messageId() || now - c.startedAt > REASSEMBLY_TIMEOUT_MILLIS) {
            c.restart(header, now);
        } else if (c.exchangeType != header.exchangeType()) {
            drops.drop();
            return null;
        }
        FragmentReassembler.Outcome outcome = c.reassembler.offer(header.messageId(), fragment.skf().orElseThrow(), plain);
        if (outcome instanceof FragmentReassembler.Incomplete) {
            return null;
        }
        if (!(outcome instanceof FragmentReassembler.Complete complete)) {
            drops.drop(); // a duplicate (normal after a retransmission), a stale fragmentation or a limit
            return null;
        }
        c.clear();
        try {
            wholeInner = PayloadChain.decodeInner(complete.firstInnerType(), complete.innerChain());
        } catch (InvalidMessageException e) {
            drops.drop();
            return null;
        }
        whole = IkeMessage.of(header, List.of());
        return whole;
    }

    /** Whether a retransmitted fragment is authentic (RFC 7383 2.6.1 answers it again only then). */
    boolean authentic(IkeMessage fragment, SkProtection sk) {
        try {
            sk.unprotectFragment(fragment);
            return true;
        } catch (InvalidMessageException | SkPayloadException e) {
            return false;
        }
    }

    /** The inner payloads of the message {@link #offer} last completed, or null for any other message. */
    List<Payload> innerOf(IkeMessage message) {
        return message == whole ? wholeInner : null;
    }

    /** Our request was answered or given up: fragments of its response are of no use any more. */
    void discardResponses() {
        responses.clear();
    }
}
