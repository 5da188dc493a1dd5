package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Transform payload (RFC 2408 3.6), nested in a proposal: transform number, transform id (KEY_IKE in
 * phase 1, an ESP/AH transform id in quick mode) and its SA attributes.
 */
public record TransformPayload1(int number, int transformId, List<Attribute1> attributes) {
    /** The phase-1 transform id (RFC 2407 4.4.2). */
    public static final int KEY_IKE = 1;
    static final int HEADER_LENGTH = 8;

    public TransformPayload1 {
        V1Wire.checkU8(number, "transform number");
        V1Wire.checkU8(transformId, "transform id");
        attributes = List.copyOf(attributes);
    }

    public static TransformPayload1 of(int number, int transformId, Attribute1... attributes) {
        return new TransformPayload1(number, transformId, List.of(attributes));
    }

    /** The first attribute of a type, if present. */
    public Optional<Attribute1> attribute(int type) {
        return attributes.stream().filter(a -> a.type() == type).findFirst();
    }

    /** The numeric value of the first attribute of a type, if present. */
    public Optional<Long> number(int type) {
        return attribute(type).map(Attribute1::number);
    }

    /** Decodes one transform at the buffer's position; returns whether another transform follows. */
    static boolean decodeInto(ByteBuffer in, List<TransformPayload1> out) throws V1ParseException {
        int next = V1Wire.u8(in, "transform next payload");
        if (next != V1PayloadType.NONE && next != V1PayloadType.TRANSFORM) {
            throw new V1ParseException(Reason.BAD_VALUE, "transform next payload " + next + ", expected 0 or 3");
        }
        V1Wire.u8(in, "transform reserved");
        int length = V1Wire.u16(in, "transform length");
        if (length < HEADER_LENGTH) {
            throw new V1ParseException(Reason.BAD_LENGTH, "transform length " + length + " below 8");
        }
        ByteBuffer body = V1Wire.slice(in, length - 4, "transform");
        int number = V1Wire.u8(body, "transform number");
        int id = V1Wire.u8(body, "transform id");
        V1Wire.u16(body, "transform reserved2");
        List<Attribute1> attributes = new ArrayList<>();
        while (body.hasRemaining()) {
            if (attributes.size() >= V1PayloadChain.MAX_PER_LEVEL) {
                throw new V1ParseException(Reason.LIMIT_EXCEEDED, "transform " + number + " has more than "
                        + V1PayloadChain.MAX_PER_LEVEL + " attributes");
            }
            attributes.add(Attribute1.decode(body));
        }
        out.add(new TransformPayload1(number, id, attributes));
        return next == V1PayloadType.TRANSFORM;
    }

    int encodedLength() {
        int length = HEADER_LENGTH;
        for (Attribute1 a : attributes) {
            length += a.encodedLength();
        }
        return length;
    }

    void encode(ByteBuffer out, boolean last) {
        int length = encodedLength();
        V1Wire.checkU16(length, "transform length");
        V1Wire.putU8(out, last ? V1PayloadType.NONE : V1PayloadType.TRANSFORM);
        V1Wire.putU8(out, 0);
        V1Wire.putU16(out, length);
        V1Wire.putU8(out, number);
        V1Wire.putU8(out, transformId);
        V1Wire.putU16(out, 0);
        for (Attribute1 a : attributes) {
            a.encode(out);
        }
    }

    @Override
    public String toString() {
        return "T#" + number + "(id " + transformId + ", " + attributes + ")";
    }
}
