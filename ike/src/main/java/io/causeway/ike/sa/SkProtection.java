package io.causeway.ike.sa;

import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
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
 */
final class SkProtection {
    private final SkCipher outbound;
    private final SkCipher inbound;

    SkProtection(IkeSuite suite, IkeSaKeys keys, boolean weAreInitiator, RandomSource random) {
        this.outbound = SkCipher.forSender(suite, keys, weAreInitiator, random);
        this.inbound = SkCipher.forSender(suite, keys, !weAreInitiator, random);
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
        int innerLength = inbound.decrypt(layout.message(), 0, layout.ivOffset(), layout.length());
        return PayloadChain.decodeInner(sk.firstInnerType(), layout.message(), layout.ciphertextOffset(), innerLength);
    }

    /** The decrypted part of the inner chain a received SKF fragment carries; throws when it fails the integrity check. */
    byte[] unprotectFragment(IkeMessage message) throws InvalidMessageException, SkPayloadException {
        if (message.skf().isEmpty()) {
            throw new InvalidMessageException(InvalidMessageException.Reason.BAD_VALUE, "expected an SKF payload");
        }
        SkLayout layout = message.skLayout(inbound.ivLength(), inbound.icvLength());
        int length = inbound.decrypt(layout.message(), 0, layout.ivOffset(), layout.length());
        return Arrays.copyOfRange(layout.message(), layout.ciphertextOffset(), layout.ciphertextOffset() + length);
    }
}
