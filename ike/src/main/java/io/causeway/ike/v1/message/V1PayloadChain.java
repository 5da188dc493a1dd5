package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of ISAKMP payloads linked by their generic headers' Next Payload fields (RFC 2408 3.2): the
 * payloads of a plain message or of a decrypted one. Decoding keeps each payload's octets as received
 * ({@link DecodedPayload1}) and stops at Next Payload NONE, ignoring whatever follows: encrypted
 * messages end in CBC padding (RFC 2409 5.3, Appendix B), zeros or with a pad-length octet.
 */
public final class V1PayloadChain {
    public static final int GENERIC_HEADER_LENGTH = 4;
    /** At most this many payloads in one message. */
    public static final int MAX_PAYLOADS = 64;
    /** At most this many proposals per SA, transforms per proposal and attributes per transform. */
    public static final int MAX_PER_LEVEL = 64;

    private V1PayloadChain() {
    }

    /**
     * Decodes the chain starting with a payload of type firstType at buf[off] and walking Next Payload
     * links until NONE; bytes after the last payload (up to off + len) are ignored. Every malformed input
     * ends in a V1ParseException; only a range outside buf (a caller error) is an IllegalArgumentException.
     */
    public static List<DecodedPayload1> decode(int firstType, byte[] buf, int off, int len) throws V1ParseException {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("range " + off + "+" + len + " outside " + buf.length + " bytes");
        }
        if (firstType < 0 || firstType > 0xff) {
            throw new V1ParseException(Reason.BAD_VALUE, "first payload type " + firstType + " does not fit one octet");
        }
        ByteBuffer in = ByteBuffer.wrap(buf, off, len).slice();
        List<DecodedPayload1> payloads = new ArrayList<>();
        int type = firstType;
        while (type != V1PayloadType.NONE) {
            String name = V1PayloadType.name(type);
            if (payloads.size() >= MAX_PAYLOADS) {
                throw new V1ParseException(Reason.LIMIT_EXCEEDED, "more than " + MAX_PAYLOADS + " payloads");
            }
            int start = in.position();
            int next = V1Wire.u8(in, name + " next payload");
            V1Wire.u8(in, name + " reserved");
            int length = V1Wire.u16(in, name + " payload length");
            if (length < GENERIC_HEADER_LENGTH) {
                throw new V1ParseException(Reason.BAD_LENGTH, name + " payload length " + length + " below 4");
            }
            if (length - GENERIC_HEADER_LENGTH > in.remaining()) {
                throw new V1ParseException(Reason.TRUNCATED, name + " payload of " + length + " bytes, "
                        + (in.remaining() + GENERIC_HEADER_LENGTH) + " left");
            }
            ByteBuffer body = V1Wire.slice(in, length - GENERIC_HEADER_LENGTH, name);
            V1Payload payload = decodeOne(type, body);
            if (body.hasRemaining()) {
                throw new V1ParseException(Reason.BAD_LENGTH, name + " payload has " + body.remaining() + " undecoded bytes");
            }
            byte[] wire = new byte[length];
            System.arraycopy(buf, off + start, wire, 0, length);
            payloads.add(new DecodedPayload1(payload, wire));
            type = next;
        }
        return List.copyOf(payloads);
    }

    public static List<DecodedPayload1> decode(int firstType, byte[] buf) throws V1ParseException {
        return decode(firstType, buf, 0, buf.length);
    }

    private static V1Payload decodeOne(int type, ByteBuffer body) throws V1ParseException {
        return switch (type) {
            case V1PayloadType.SA -> SaPayload1.decode(body);
            case V1PayloadType.KE -> KePayload1.decode(body);
            case V1PayloadType.ID -> IdPayload1.decode(body);
            case V1PayloadType.HASH -> HashPayload1.decode(body);
            case V1PayloadType.NONCE -> NoncePayload1.decode(body);
            case V1PayloadType.NOTIFY -> NotifyPayload1.decode(body);
            case V1PayloadType.DELETE -> DeletePayload1.decode(body);
            case V1PayloadType.VENDOR_ID -> VendorIdPayload1.decode(body);
            case V1PayloadType.NAT_D, V1PayloadType.NAT_D_DRAFT -> NatDPayload1.decode(type, body);
            case V1PayloadType.NAT_OA, V1PayloadType.NAT_OA_DRAFT -> NatOaPayload1.decode(type, body);
            case V1PayloadType.FRAGMENT -> FragmentPayload1.decode(body);
            default -> new RawPayload1(type, V1Wire.rest(body));
        };
    }

    /** Type of the first payload, or NONE for an empty chain. */
    public static int firstType(List<? extends V1Payload> payloads) {
        return payloads.isEmpty() ? V1PayloadType.NONE : payloads.get(0).type();
    }

    public static int encodedLength(List<? extends V1Payload> payloads) {
        int length = 0;
        for (V1Payload p : payloads) {
            length += GENERIC_HEADER_LENGTH + p.bodyLength();
        }
        return length;
    }

    /** The chain as octets: generic headers (next payload linkage, reserved 0, length) and bodies. */
    public static byte[] encode(List<? extends V1Payload> payloads) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(payloads));
        encode(payloads, out);
        return out.array();
    }

    public static void encode(List<? extends V1Payload> payloads, ByteBuffer out) {
        for (int i = 0; i < payloads.size(); i++) {
            V1Payload p = payloads.get(i);
            int next = i == payloads.size() - 1 ? V1PayloadType.NONE : payloads.get(i + 1).type();
            int length = GENERIC_HEADER_LENGTH + p.bodyLength();
            V1Wire.checkU16(length, V1PayloadType.name(p.type()) + " payload length");
            V1Wire.putU8(out, next);
            V1Wire.putU8(out, 0);
            V1Wire.putU16(out, length);
            int before = out.position();
            p.encodeBody(out);
            if (out.position() - before != p.bodyLength()) {
                throw new IllegalStateException(p + " wrote " + (out.position() - before) + " bytes, announced "
                        + p.bodyLength());
            }
        }
    }

    /** A payload's body as this codec sends it, e.g. one's own SAi_b for HASH_I (RFC 2409 5). */
    public static byte[] body(V1Payload payload) {
        ByteBuffer out = ByteBuffer.allocate(payload.bodyLength());
        payload.encodeBody(out);
        return out.array();
    }

    /** One payload with its generic header, Next Payload as given. */
    public static byte[] encodeOne(V1Payload payload, int nextPayload) {
        int length = GENERIC_HEADER_LENGTH + payload.bodyLength();
        V1Wire.checkU16(length, "payload length");
        ByteBuffer out = ByteBuffer.allocate(length);
        V1Wire.putU8(out, nextPayload);
        V1Wire.putU8(out, 0);
        V1Wire.putU16(out, length);
        payload.encodeBody(out);
        return out.array();
    }

    /**
     * The concatenated wire octets (generic headers included, as received) of every payload after the
     * one at index, up to the end of the last payload; never padding. E.g. quick mode HASH(1) =
     * prf(SKEYID_a, M-ID | wireBytesAfter(chain, indexOfHash)). index -1 gives the whole chain.
     */
    public static byte[] wireBytesAfter(List<DecodedPayload1> chain, int index) {
        if (index < -1 || index >= chain.size()) {
            throw new IndexOutOfBoundsException("index " + index + " in a chain of " + chain.size());
        }
        return wireBytes(chain, index + 1, chain.size());
    }

    /** The concatenated wire octets of chain[from, to). */
    public static byte[] wireBytes(List<DecodedPayload1> chain, int from, int to) {
        int length = 0;
        for (int i = from; i < to; i++) {
            length += chain.get(i).wireLength();
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = from; i < to; i++) {
            chain.get(i).copyWireTo(out, at);
            at += chain.get(i).wireLength();
        }
        return out;
    }

    /** The payloads without their wire octets. */
    public static List<V1Payload> payloads(List<DecodedPayload1> chain) {
        return chain.stream().map(DecodedPayload1::payload).toList();
    }
}
