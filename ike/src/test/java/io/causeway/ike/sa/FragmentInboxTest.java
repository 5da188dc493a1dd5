package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.proposal.Algorithms;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reassembly of SKF fragments for one IKE SA (RFC 7383 2.6), with keys derived from fixed test values. */
class FragmentInboxTest {
    private static final RandomSource RANDOM = new DeterministicRandomSource("fragment-inbox");
    private static final IkeSuite SUITE = IkeSuite.of(Algorithms.named("aes128"), Algorithms.named("sha256"),
            Algorithms.named("prfsha256"));
    private static final IkeSaKeys KEYS = IkeKeyDerivation.deriveInitial(SUITE, RANDOM.nextBytes(256), RANDOM.nextBytes(32),
            RANDOM.nextBytes(32), RANDOM.nextBytes(8), RANDOM.nextBytes(8));
    /** The peer, as initiator, protects; we, the responder, receive. */
    private final SkProtection peer = new SkProtection(SUITE, KEYS, true, RANDOM);
    private final SkProtection us = new SkProtection(SUITE, KEYS, false, RANDOM);
    private final FragmentInbox inbox = new FragmentInbox();
    private final EngineContext.DropCounter drops = new EngineContext.DropCounter();

    private static List<Payload> inner(int seed) {
        List<Payload> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] data = new byte[100];
            java.util.Arrays.fill(data, (byte) (seed + i));
            out.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, data));
        }
        return out;
    }

    private List<IkeMessage> fragments(long messageId, List<Payload> inner) {
        IkeHeader header = IkeHeader.of(1, 2, ExchangeType.INFORMATIONAL, true, false, messageId);
        List<IkeMessage> out = new ArrayList<>();
        for (byte[] b : peer.protect(header, inner, 228)) {
            try {
                out.add(IkeMessage.decode(b));
            } catch (InvalidMessageException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(3).allMatch(m -> m.length() <= 228 && m.skf().isPresent());
        return out;
    }

    @Test
    void fragmentsInAnyOrderGiveTheWholeMessageOnceTheLastArrives() {
        List<IkeMessage> f = fragments(2, inner(1));
        IkeMessage whole = null;
        for (int i = f.size() - 1; i >= 0; i--) {
            assertThat(whole).isNull();
            whole = inbox.offer(f.get(i), us, drops, 0);
        }
        assertThat(whole).isNotNull();
        assertThat(whole.header().messageId()).isEqualTo(2);
        assertThat(whole.header().exchangeType()).isEqualTo(ExchangeType.INFORMATIONAL);
        assertThat(inbox.innerOf(whole)).isEqualTo(inner(1));
        assertThat(drops.count()).isZero();
    }

    @Test
    void anUnprotectedMessageNeverPassesForAReassembledOne() {
        List<IkeMessage> f = fragments(2, inner(1));
        IkeMessage whole = null;
        for (IkeMessage m : f) {
            whole = inbox.offer(m, us, drops, 0);
        }
        IkeMessage lookalike = IkeMessage.of(whole.header(), List.of());
        assertThat(inbox.innerOf(lookalike)).isNull();
        assertThat(inbox.innerOf(f.get(0))).isNull();
    }

    @Test
    void aForgedFragmentIsCountedAndNotKept() {
        List<IkeMessage> f = fragments(2, inner(1));
        byte[] forged = f.get(0).bytes();
        forged[forged.length - 1] ^= 1;
        IkeMessage bad;
        try {
            bad = IkeMessage.decode(forged);
        } catch (InvalidMessageException e) {
            throw new AssertionError(e);
        }
        assertThat(inbox.offer(bad, us, drops, 0)).isNull();
        assertThat(drops.count()).isEqualTo(1);
        IkeMessage whole = null;
        for (IkeMessage m : f) {
            whole = inbox.offer(m, us, drops, 0);
        }
        assertThat(inbox.innerOf(whole)).isEqualTo(inner(1));
    }

    @Test
    void theNextMessageIdDropsWhatWasCollectedForTheLastOne() {
        List<IkeMessage> older = fragments(2, inner(1));
        List<IkeMessage> newer = fragments(3, inner(2));
        assertThat(inbox.offer(older.get(0), us, drops, 0)).isNull();
        IkeMessage whole = null;
        for (IkeMessage m : newer) {
            whole = inbox.offer(m, us, drops, 0);
        }
        assertThat(inbox.innerOf(whole)).isEqualTo(inner(2));
        // the rest of message 2 no longer completes it: its first fragment was dropped
        for (int i = 1; i < older.size(); i++) {
            assertThat(inbox.offer(older.get(i), us, drops, 0)).isNull();
        }
    }

    @Test
    void aCollectionOlderThanTheTimeoutStartsOver() {
        List<IkeMessage> f = fragments(2, inner(1));
        for (int i = 0; i < f.size() - 1; i++) {
            assertThat(inbox.offer(f.get(i), us, drops, 0)).isNull();
        }
        long late = FragmentInbox.REASSEMBLY_TIMEOUT_MILLIS + 1;
        assertThat(inbox.offer(f.get(f.size() - 1), us, drops, late)).isNull();
        IkeMessage whole = null;
        for (IkeMessage m : f.subList(0, f.size() - 1)) {
            whole = inbox.offer(m, us, drops, late);
        }
        assertThat(whole).isNotNull();
        assertThat(inbox.innerOf(whole)).isEqualTo(inner(1));
    }

    @Test
    void requestsAndResponsesWithTheSameMessageIdAreKeptApart() {
        List<IkeMessage> request = fragments(2, inner(1));
        IkeHeader responseHeader = IkeHeader.of(1, 2, ExchangeType.INFORMATIONAL, true, true, 2);
        List<IkeMessage> response = new ArrayList<>();
        for (byte[] b : peer.protect(responseHeader, inner(2), 228)) {
            try {
                response.add(IkeMessage.decode(b));
            } catch (InvalidMessageException e) {
                throw new AssertionError(e);
            }
        }
        inbox.offer(request.get(0), us, drops, 0);
        IkeMessage whole = null;
        for (IkeMessage m : response) {
            whole = inbox.offer(m, us, drops, 0);
        }
        assertThat(inbox.innerOf(whole)).isEqualTo(inner(2));
        for (IkeMessage m : request.subList(1, request.size())) {
            whole = inbox.offer(m, us, drops, 0);
        }
        assertThat(inbox.innerOf(whole)).isEqualTo(inner(1));
        assertThat(drops.count()).isZero();
    }
}
