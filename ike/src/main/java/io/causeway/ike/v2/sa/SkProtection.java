package io.causeway.ike.v2.sa;

import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.IkeSuite;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.crypto.SkCipher;
import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.PayloadChain;
import io.causeway.ike.v2.message.SkLayout;
import io.causeway.ike.v2.message.SkPayload;
import java.util.List;

/** The Encrypted payload of one IKE SA in both directions (RFC 7296 3.14): wraps and unwraps whole messages. */
final class SkProtection {
    private final SkCipher outbound;
    private final SkCipher inbound;

    SkProtection(IkeSuite suite, IkeSaKeys keys, boolean weAreInitiator, RandomSource random) {
        this.outbound = SkCipher.forSender(suite, keys, weAreInitiator, random);
        this.inbound = SkCipher.forSender(suite, keys, !weAreInitiator, random);
    }

    /** A message whose payloads all travel inside SK, encrypted and integrity-protected in place. */
    byte[] protect(IkeHeader header, List<? extends Payload> inner) {
        byte[] plain = PayloadChain.encode(inner);
        int ciphertextLength = plain.length + outbound.paddingLength(plain.length);
        SkLayout layout = IkeMessage.encodeProtected(header, List.of(), PayloadChain.firstType(inner),
                outbound.ivLength(), ciphertextLength, outbound.icvLength());
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
}
