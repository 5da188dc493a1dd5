package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of payloads linked by their generic headers' Next Payload fields (RFC 7296 3.2). Used for
 * the payloads of a whole message and for the inner payloads of a decrypted SK payload.
 */
public final class PayloadChain {
    public static final int GENERIC_HEADER_LENGTH = 4;
    private static final int CRITICAL = 0x80;

    private PayloadChain() {
    }

    /** Decodes the payloads of a decrypted SK/SKF payload (padding already removed); SK inside SK is refused. */
    public static List<Payload> decodeInner(int firstType, byte[] plaintext, int offset, int length) throws InvalidMessageException {
        if (offset < 0 || length < 0 || offset + length > plaintext.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + plaintext.length + " bytes");
        }
        return decode(firstType, ByteBuffer.wrap(plaintext, offset, length).slice(), false, null);
    }

    public static List<Payload> decodeInner(int firstType, byte[] plaintext) throws InvalidMessageException {
        return decodeInner(firstType, plaintext, 0, plaintext.length);
    }

    /**
     * Decodes every payload up to the buffer's limit. With allowEncrypted, an SK or SKF payload ends
     * the chain and must be the last bytes; its position (relative to the buffer start) goes to
     * encryptedAt[0] when given.
     */
    static List<Payload> decode(int firstType, ByteBuffer in, boolean allowEncrypted, int[] encryptedAt)
            throws InvalidMessageException {
        List<Payload> payloads = new ArrayList<>();
        int type = firstType;
        while (type != PayloadType.NONE) {
            int start = in.position();
            int next = Wire.u8(in, PayloadType.name(type) + " next payload");
            boolean critical = (Wire.u8(in, PayloadType.name(type) + " flags") & CRITICAL) != 0;
            int length = Wire.u16(in, PayloadType.name(type) + " payload length");
            if (length < GENERIC_HEADER_LENGTH) {
                throw new InvalidMessageException(Reason.BAD_LENGTH, PayloadType.name(type) + " payload length " + length);
            }
            if (length - GENERIC_HEADER_LENGTH > in.remaining()) {
                throw new InvalidMessageException(Reason.TRUNCATED, PayloadType.name(type) + " payload of " + length
                        + " bytes, " + (in.remaining() + GENERIC_HEADER_LENGTH) + " left");
            }
            ByteBuffer body = Wire.slice(in, length - GENERIC_HEADER_LENGTH, PayloadType.name(type));
            if (type == PayloadType.SK || type == PayloadType.SKF) {
                if (!allowEncrypted) {
                    throw new InvalidMessageException(Reason.BAD_VALUE, PayloadType.name(type) + " inside an encrypted payload");
                }
                if (in.hasRemaining()) {
                    throw new InvalidMessageException(Reason.BAD_LENGTH, PayloadType.name(type) + " is not the last payload ("
                            + in.remaining() + " bytes follow)");
                }
                payloads.add(type == PayloadType.SK ? SkPayload.decode(next, body) : SkfPayload.decode(next, body));
                if (encryptedAt != null) {
                    encryptedAt[0] = start;
                }
                return List.copyOf(payloads);
            }
            payloads.add(decodeOne(type, critical, body));
            type = next;
        }
        Wire.noTrailingBytes(in, "payload chain");
        return List.copyOf(payloads);
    }

    private static Payload decodeOne(int type, boolean critical, ByteBuffer body) throws InvalidMessageException {
        Payload payload = switch (type) {
            case PayloadType.SA -> SaPayload.decode(body);
            case PayloadType.KE -> KePayload.decode(body);
            case PayloadType.IDI -> IdPayload.decode(true, body);
            case PayloadType.IDR -> IdPayload.decode(false, body);
            case PayloadType.AUTH -> AuthPayload.decode(body);
            case PayloadType.NONCE -> NoncePayload.decode(body);
            case PayloadType.NOTIFY -> NotifyPayload.decode(body);
            case PayloadType.DELETE -> DeletePayload.decode(body);
            case PayloadType.VENDOR_ID -> VendorIdPayload.decode(body);
            case PayloadType.TSI -> TrafficSelectorPayload.decode(true, body);
            case PayloadType.TSR -> TrafficSelectorPayload.decode(false, body);
            case PayloadType.CERT, PayloadType.CERTREQ, PayloadType.CP, PayloadType.EAP ->
                    new RawPayload(type, critical, Wire.rest(body));
            default -> {
                if (critical) {
                    throw InvalidMessageException.unsupportedCritical(type);
                }
                yield new RawPayload(type, false, Wire.rest(body));
            }
        };
        if (body.hasRemaining()) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, PayloadType.name(type) + " payload has "
                    + body.remaining() + " undecoded bytes");
        }
        return payload;
    }

    /** Type of the first payload, or NONE for an empty chain. */
    public static int firstType(List<? extends Payload> payloads) {
        return payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type();
    }

    public static int encodedLength(List<? extends Payload> payloads) {
        int length = 0;
        for (Payload p : payloads) {
            length += GENERIC_HEADER_LENGTH + p.bodyLength();
        }
        return length;
    }

    /** The chain as octets, e.g. the plaintext to encrypt into an SK payload (before padding). */
    public static byte[] encode(List<? extends Payload> payloads) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(payloads));
        encode(payloads, out);
        return out.array();
    }

    /** Writes the chain; an SK or SKF payload must be last and its Next Payload is its first inner type. */
    public static void encode(List<? extends Payload> payloads, ByteBuffer out) {
        for (int i = 0; i < payloads.size(); i++) {
            Payload p = payloads.get(i);
            boolean last = i == payloads.size() - 1;
            int next = last ? PayloadType.NONE : payloads.get(i + 1).type();
            if (p instanceof SkPayload sk) {
                requireLast(last);
                next = sk.firstInnerType();
            } else if (p instanceof SkfPayload skf) {
                requireLast(last);
                next = skf.firstInnerType();
            }
            writeGenericHeader(out, next, p.critical(), p.bodyLength());
            int before = out.position();
            p.encodeBody(out);
            if (out.position() - before != p.bodyLength()) {
                throw new IllegalStateException(p + " wrote " + (out.position() - before) + " bytes, announced " + p.bodyLength());
            }
        }
    }

    static void writeGenericHeader(ByteBuffer out, int next, boolean critical, int bodyLength) {
        int length = GENERIC_HEADER_LENGTH + bodyLength;
        Wire.checkU16(length, "payload length");
        Wire.putU8(out, next);
        Wire.putU8(out, critical ? CRITICAL : 0);
        Wire.putU16(out, length);
    }

    private static void requireLast(boolean last) {
        if (!last) {
            throw new IllegalArgumentException("SK and SKF must be the last payload of a message");
        }
    }
}
