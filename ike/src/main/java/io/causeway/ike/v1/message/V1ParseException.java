package io.causeway.ike.v1.message;

/**
 * IKEv1 network input that cannot be decoded (RFC 2408 5). The one checked exception every decoder in
 * this package throws, for any input: short reads, contradicting lengths and over-limit counts all end
 * here, never in an unchecked exception. The message names the field.
 */
public final class V1ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        /** The input ends before a field or structure it announces. */
        TRUNCATED,
        /** A length field contradicts the bytes around it. */
        BAD_LENGTH,
        /** A field holds a value the RFCs forbid or this codec does not handle. */
        BAD_VALUE,
        /** The ISAKMP header carries a major version other than 1. */
        UNSUPPORTED_VERSION,
        /** A limit against memory exhaustion was hit (payloads, proposals, transforms, attributes). */
        LIMIT_EXCEEDED
    }

    private final Reason reason;

    public V1ParseException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The RFC 2408 3.14.1 notify type an answer could carry: INVALID-MAJOR-VERSION for a version
     * mismatch, PAYLOAD-MALFORMED otherwise. (Whether to answer unauthenticated input at all is the
     * engine's decision.)
     */
    public int notifyType() {
        return reason == Reason.UNSUPPORTED_VERSION ? NotifyPayload1.INVALID_MAJOR_VERSION : NotifyPayload1.PAYLOAD_MALFORMED;
    }
}
