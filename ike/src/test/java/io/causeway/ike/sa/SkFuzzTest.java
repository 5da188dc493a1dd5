package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.crypto.SkCipher;
import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.PayloadChain;
import io.causeway.ike.v2.message.SkLayout;
import java.util.List;

/**
 * The Encrypted and Encrypted Fragment payloads with a known key, so that the fuzzer's bytes reach the inner
 * payload decoders and the reassembly: the input either is a raw datagram (integrity and length checks), or
 * inner octets the target seals as the peer would, whole or as fragments with numbers the fuzzer picks.
 * Contract: unprotect returns payloads that re-encode to the same chain or throws InvalidMessageException /
 * SkPayloadException (never the latter for what the peer sealed); the inbox never throws.
 */
class SkFuzzTest {
    private static final RandomSource RANDOM = new DeterministicRandomSource("sk-fuzz");
    private static final IkeSuite SUITE = IkeSuite.of(Algorithms.named("aes128"), Algorithms.named("sha256"),
            Algorithms.named("prfsha256"));
    private static final IkeSaKeys KEYS = IkeKeyDerivation.deriveInitial(SUITE, RANDOM.nextBytes(256),
            RANDOM.nextBytes(32), RANDOM.nextBytes(32), RANDOM.nextBytes(8), RANDOM.nextBytes(8));
    private static final SkCipher PEER = SkCipher.forSender(SUITE, KEYS, true, RANDOM);
    private static final SkProtection US = new SkProtection(SUITE, KEYS, false, RANDOM);

    @FuzzTest
    void unprotectAndReassemble(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 2);
        IkeHeader header = IkeHeader.of(1, 2, ExchangeType.INFORMATIONAL, true, false, data.consumeInt(0, 3));
        int firstType = data.consumeInt(0, 255);
        if (mode == 0) {
            raw(data.consumeRemainingAsBytes());
        } else if (mode == 1) {
            whole(header, firstType, data.consumeRemainingAsBytes());
        } else {
            fragments(header, firstType, data);
        }
    }

    private static void raw(byte[] datagram) {
        IkeMessage message;
        try {
            message = IkeMessage.decode(datagram);
        } catch (InvalidMessageException refused) {
            return;
        }
        if (message.skf().isPresent()) {
            new FragmentInbox().offer(message, US, new EngineContext.DropCounter(), 0);
            return;
        }
        try {
            US.unprotect(message);
        } catch (InvalidMessageException | SkPayloadException refused) {
            // forged or malformed: the expected outcome for raw bytes
        }
    }

    private static void whole(IkeHeader header, int firstType, byte[] plain) {
        SkLayout layout = IkeMessage.encodeProtected(header, List.of(), firstType, PEER.ivLength(),
                plain.length + PEER.paddingLength(plain.length), PEER.icvLength());
        byte[] sealed = layout.message();
        System.arraycopy(plain, 0, sealed, layout.ciphertextOffset(), plain.length);
        PEER.encrypt(sealed, 0, layout.ivOffset(), plain.length);
        List<Payload> inner;
        try {
            inner = US.unprotect(IkeMessage.decode(sealed));
        } catch (InvalidMessageException refused) {
            return;
        } catch (SkPayloadException e) {
            throw new AssertionError("a message the peer sealed fails: " + e.getMessage(), e);
        }
        byte[] again = PayloadChain.encode(inner);
        assertThat(again).as("re-encoded inner chain length").hasSize(plain.length);
        try {
            assertThat(PayloadChain.encode(PayloadChain.decodeInner(firstType, again))).isEqualTo(again);
        } catch (InvalidMessageException e) {
            throw new AssertionError("a re-encoded inner chain does not decode: " + e.getMessage(), e);
        }
    }

    private static void fragments(IkeHeader header, int firstType, FuzzedDataProvider data) {
        FragmentInbox inbox = new FragmentInbox();
        EngineContext.DropCounter drops = new EngineContext.DropCounter();
        for (int i = 0; i < 16 && data.remainingBytes() > 0; i++) {
            int number = data.consumeInt(0, 6);
            int total = data.consumeInt(0, 6);
            byte[] chunk = data.consumeBytes(data.consumeInt(0, 300));
            SkLayout layout;
            try {
                layout = IkeMessage.encodeFragment(header, number, total, firstType, PEER.ivLength(),
                        chunk.length + PEER.paddingLength(chunk.length), PEER.icvLength());
            } catch (IllegalArgumentException notEncodable) {
                continue; // numbers the encoder refuses to send; raw() reaches them
            }
            byte[] sealed = layout.message();
            System.arraycopy(chunk, 0, sealed, layout.ciphertextOffset(), chunk.length);
            PEER.encrypt(sealed, 0, layout.ivOffset(), chunk.length);
            IkeMessage fragment;
            try {
                fragment = IkeMessage.decode(sealed);
            } catch (InvalidMessageException refused) {
                continue;
            }
            IkeMessage complete = inbox.offer(fragment, US, drops, 0);
            if (complete != null) {
                assertThat(inbox.innerOf(complete)).isNotNull();
            }
        }
    }
}
