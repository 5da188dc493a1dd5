package io.causeway.ike.v2.message;

/**
 * Network input that cannot be decoded (RFC 7296 2.21.1, 3.2). The one checked exception every decoder
 * throws; {@link #notifyType()} tells the engine which error notification, if any, answers it.
 */
public final class InvalidMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        /** The input ends before a field or structure it announces. */
        TRUNCATED,
        /** A length field contradicts the bytes around it. */
        BAD_LENGTH,
        /** A field holds a value the RFC forbids. */
        BAD_VALUE,
        /** The IKE header carries a major version other than 2. */
        UNSUPPORTED_MAJOR_VERSION,
        /** An unknown payload type with the critical bit set (RFC 7296 2.5). */
        UNSUPPORTED_CRITICAL_PAYLOAD,
        /** A limit against memory exhaustion was hit. */
        LIMIT_EXCEEDED
    }

    private final Reason reason;
    private final int payloadType;

    public InvalidMessageException(Reason reason, String message) {
        this(reason, message, -1);
    }

    private InvalidMessageException(Reason reason, String message, int payloadType) {
        super(message, null, false, false);
        this.reason = reason;
        this.payloadType = payloadType;
    }

    static InvalidMessageException unsupportedCritical(int payloadType) {
        return new InvalidMessageException(Reason.UNSUPPORTED_CRITICAL_PAYLOAD,
                "unknown payload type " + payloadType + " marked critical", payloadType);
    }

    public Reason reason() {
        return reason;
    }

    /** For UNSUPPORTED_CRITICAL_PAYLOAD, the payload type that was not understood; -1 otherwise. */
    public int unsupportedPayloadType() {
        return payloadType;
    }

    /** The notify type an answer to a request carrying this input would use. */
    public int notifyType() {
        return switch (reason) {
            case UNSUPPORTED_MAJOR_VERSION -> NotifyType.INVALID_MAJOR_VERSION;
            case UNSUPPORTED_CRITICAL_PAYLOAD -> NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD;
            default -> NotifyType.INVALID_SYNTAX;
        };
    }

    /** Notification data for {@link #notifyType()}: the one-octet payload type for UNSUPPORTED_CRITICAL_PAYLOAD. */
    public byte[] notifyData() {
        return reason == Reason.UNSUPPORTED_CRITICAL_PAYLOAD ? new byte[] {(byte) payloadType} : new byte[0];
    }
}
