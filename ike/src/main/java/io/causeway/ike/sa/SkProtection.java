package io.causeway.ike.sa;

import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.IntegrityCheckException;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.crypto.SkCipher;
import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.v2.message.Fragmenter;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.PayloadChain;
import io.causeway.ike.v2.message.SkLayout;
import io.causeway.ike.v2.message.SkPayload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Encrypted payload of one IKE SA in both directions (RFC 7296 3.14): wraps and unwraps whole messages,
 * and cuts a message that would not fit a datagram into Encrypted Fragment payloads (RFC 7383 2.5).
 *
 * <p>Every integrity check of a received message or fragment is counted here, where it runs, and in the engine's
 * counters: a flood of messages with a valid SPI pair and a wrong key must cost one check each, and a count kept by
 * the callers would miss a path that checks without saying so.
 */
final class SkProtection {
    private final SkCipher outbound;
    private final SkCipher inbound;
    private final EngineContext.DropCounter engineCounters;
    private long inboundChecks;

    /** Keys of one IKE SA; checks and failures are also counted in engineCounters. */
    SkProtection(IkeSuite suite, IkeSaKeys keys, boolean weAreInitiator, RandomSource random,
                 EngineContext.DropCounter engineCounters) {
        this.outbound = SkCipher.forSender(suite, keys, weAreInitiator, random);
        this.inbound = SkCipher.forSender(suite, keys, !weAreInitiator, random);
        this.engineCounters = engineCounters;
    }

    /** Keys outside an engine (codec tests, fuzzing): checks are counted here only. */
    SkProtection(IkeSuite suite, IkeSaKeys keys, boolean weAreInitiator, RandomSource random) {
        this(suite, keys, weAreInitiator, random, new EngineContext.DropCounter());
    }

    /** Integrity checks run on received SK and SKF payloads with these keys. */
    long inboundChecks() {
        return inboundChecks;
    }

    /** A message whose payloads all travel inside SK, encrypted and integrity-protected in place. */
    byte[] protect(IkeHeader header, List<? extends Payload> inner) {
        return protectChain(header, PayloadChain.encode(inner), PayloadChain.firstType(inner));
    }

    /**
     * The message as one SK message when it is at most maxMessageLength octets, otherwise as SKF fragments that
     * each are (RFC 7383 2.5: every fragment is encrypted and authenticated on its own).
     */
    List<byte[]> protect(IkeHeader header, List<? extends Payload> inner, int maxMessageLength) {
        byte[] plain = PayloadChain.encode(inner);
        int first = PayloadChain.firstType(inner);
        int whole = IkeHeader.LENGTH + PayloadChain.GENERIC_HEADER_LENGTH + outbound.encryptedLength(plain.length);
        if (whole <= maxMessageLength) {
            return List.of(protectChain(header, plain, first));
        }
        List<byte[]> chunks = Fragmenter.split(plain, maxMessageLength, outbound.ivLength(), outbound.icvLength(),
                outbound.blockSize());
        List<byte[]> fragments = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            SkLayout layout = IkeMessage.encodeFragment(header, i + 1, chunks.size(), first, outbound.ivLength(),
                    chunk.length + outbound.paddingLength(chunk.length), outbound.icvLength());
            byte[] message = layout.message();
            System.arraycopy(chunk, 0, message, layout.ciphertextOffset(), chunk.length);
            outbound.encrypt(message, 0, layout.ivOffset(), chunk.length);
            fragments.add(message);
        }
        return List.copyOf(fragments);
    }

    private byte[] protectChain(IkeHeader header, byte[] plain, int firstType) {
        int ciphertextLength = plain.length + outbound.paddingLength(plain.length);
        SkLayout layout = IkeMessage.encodeProtected(header, List.of(), firstType, outbound.ivLength(), ciphertextLength,
                outbound.icvLength());
        byte[] message = layout.message();
        System.arraycopy(plain, 0, message, layout.ciphertextOffset(), plain.length);
        outbound.encrypt(message, 0, layout.ivOffset(), plain.length);
        return message;
    }

    /** The inner payloads of a received SK message; throws when it has no SK or fails the integrity check. */
    List<Payload> unprotect(IkeMessage message) throws InvalidMessageException, SkPayloadException {
        SkPayload sk = message.sk().orElseThrow(() ->
                new InvalidMessageException(InvalidMessageException.Reason.BAD_VALUE, "expected an SK payload"));
        SkLayout layout = message.skLayout(inbound.ivLength(), inbound.icvLength());
        int innerLength = checkAndDecrypt(layout);
        return PayloadChain.decodeInner(sk.firstInnerType(), layout.message(), layout.ciphertextOffset(), innerLength);
    }

    /** The decrypted part of the inner chain a received SKF fragment carries; throws when it fails the integrity check. */
    byte[] unprotectFragment(IkeMessage message) throws InvalidMessageException, SkPayloadException {
        if (message.skf().isEmpty()) {
            throw new InvalidMessageException(InvalidMessageException.Reason.BAD_VALUE, "expected an SKF payload");
        }
        SkLayout layout = message.skLayout(inbound.ivLength(), inbound.icvLength());
        int length = checkAndDecrypt(layout);
        return Arrays.copyOfRange(layout.message(), layout.ciphertextOffset(), layout.ciphertextOffset() + length);
    }

    /** The one place a received payload's ICV is verified (and, if it holds, the payload decrypted in place). */
    private int checkAndDecrypt(SkLayout layout) throws SkPayloadException {
        inboundChecks++;
        engineCounters.decryptAttempt();
        try {
            return inbound.decrypt(layout.message(), 0, layout.ivOffset(), layout.length());
        } catch (IntegrityCheckException e) {
            engineCounters.integrityFailure();
            throw e;
        }
    }
}
