package io.causeway.ike.v1.message;

import java.nio.ByteBuffer;

/**
 * One payload of an ISAKMP message (RFC 2408 3.2). The 4-octet generic payload header (next payload,
 * reserved, length) is written by {@link V1PayloadChain}; a payload only knows its type and its body.
 * Proposals and transforms are not payloads of a message here: they live inside {@link SaPayload1}.
 */
public sealed interface V1Payload permits SaPayload1, KePayload1, IdPayload1, HashPayload1, NoncePayload1,
        NotifyPayload1, DeletePayload1, VendorIdPayload1, NatDPayload1, NatOaPayload1, FragmentPayload1, RawPayload1 {

    /** The payload type number ({@link V1PayloadType}). */
    int type();

    /** Octets after the 4-octet generic payload header. */
    int bodyLength();

    /** Writes exactly {@link #bodyLength()} octets. */
    void encodeBody(ByteBuffer out);
}
