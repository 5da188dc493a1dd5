package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Transform substructure (RFC 7296 3.3.2): type (ENCR 1, PRF 2, INTEG 3, DH 4, ESN 5), id and attributes. */
public record Transform(int transformType, int transformId, List<TransformAttribute> attributes) {
    public static final int TYPE_ENCR = 1;
    public static final int TYPE_PRF = 2;
    public static final int TYPE_INTEG = 3;
    public static final int TYPE_DH = 4;
    public static final int TYPE_ESN = 5;
    static final int HEADER_LENGTH = 8;
    private static final int LAST = 0;
    private static final int MORE = 3;

    public Transform {
        Wire.checkU8(transformType, "transform type");
        Wire.checkU16(transformId, "transform id");
        attributes = List.copyOf(attributes);
    }

    /** A transform with a Key Length attribute when keyLengthBits is positive. */
    public static Transform of(int transformType, int transformId, int keyLengthBits) {
        return new Transform(transformType, transformId,
                keyLengthBits > 0 ? List.of(TransformAttribute.keyLength(keyLengthBits)) : List.of());
    }

    /** The Key Length attribute's value in bits, 0 when absent. */
    public int keyLengthBits() {
        for (TransformAttribute a : attributes) {
            if (a.attributeType() == TransformAttribute.KEY_LENGTH && a.tvFormat()) {
                return a.shortValue();
            }
        }
        return 0;
    }

    /** Decodes one transform; returns whether more follow (the "last substruc" field). */
    static boolean decodeInto(ByteBuffer in, List<Transform> out) throws InvalidMessageException {
        int last = Wire.u8(in, "transform last-substruc");
        if (last != LAST && last != MORE) {
            throw new InvalidMessageException(Reason.BAD_VALUE, "transform last-substruc " + last + ", expected 0 or 3");
        }
        Wire.u8(in, "transform reserved");
        int length = Wire.u16(in, "transform length");
        if (length < HEADER_LENGTH) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "transform length " + length + " below 8");
        }
        ByteBuffer body = Wire.slice(in, length - 4, "transform");
        int type = Wire.u8(body, "transform type");
        Wire.u8(body, "transform reserved");
        int id = Wire.u16(body, "transform id");
        List<TransformAttribute> attributes = new ArrayList<>();
        while (body.hasRemaining()) {
            attributes.add(TransformAttribute.decode(body));
        }
        out.add(new Transform(type, id, attributes));
        return last == MORE;
    }

    int encodedLength() {
        int length = HEADER_LENGTH;
        for (TransformAttribute a : attributes) {
            length += a.encodedLength();
        }
        return length;
    }

    void encode(ByteBuffer out, boolean last) {
        int length = encodedLength();
        Wire.checkU16(length, "transform length");
        Wire.putU8(out, last ? LAST : MORE);
        Wire.putU8(out, 0);
        Wire.putU16(out, length);
        Wire.putU8(out, transformType);
        Wire.putU8(out, 0);
        Wire.putU16(out, transformId);
        attributes.forEach(a -> a.encode(out));
    }

    @Override
    public String toString() {
        return "T(" + transformType + ":" + transformId + (attributes.isEmpty() ? "" : " " + attributes) + ")";
    }
}
