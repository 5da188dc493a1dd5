package io.causeway.ike.v2.message;

import java.nio.ByteBuffer;

/**
 * One payload of an IKEv2 message (RFC 7296 3.2). The generic payload header (next payload, critical
 * bit, length) is written by {@link PayloadChain}; a payload only knows its type and its body.
 */
public sealed interface Payload permits SaPayload, KePayload, IdPayload, AuthPayload, NoncePayload, NotifyPayload,
        DeletePayload, VendorIdPayload, TrafficSelectorPayload, SkPayload, SkfPayload, RawPayload {

    /** The payload type number ({@link PayloadType}). */
    int type();

    /** The critical bit to send: zero for every payload type RFC 7296 defines. */
    default boolean critical() {
        return false;
    }

    /** Octets after the 4-octet generic payload header. */
    int bodyLength();

    /** Writes exactly {@link #bodyLength()} octets. */
    void encodeBody(ByteBuffer out);
}
