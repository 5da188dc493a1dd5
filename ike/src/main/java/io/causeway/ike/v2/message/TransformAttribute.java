package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A transform attribute (RFC 7296 3.3.5): TV form (2-octet value, AF bit set) or TLV form.
 * The only one IKEv2 defines is Key Length (14), in TV form.
 */
public record TransformAttribute(int attributeType, boolean tvFormat, byte[] value) {
    public static final int KEY_LENGTH = 14;

    public TransformAttribute {
        if (attributeType < 0 || attributeType > 0x7fff) {
            throw new IllegalArgumentException("attribute type " + attributeType + " does not fit 15 bits");
        }
        value = Wire.copy(value);
        if (tvFormat && value.length != 2) {
            throw new IllegalArgumentException("a TV attribute value has 2 octets, not " + value.length);
        }
        Wire.checkU16(value.length, "attribute length");
    }

    public static TransformAttribute keyLength(int bits) {
        Wire.checkU16(bits, "key length");
        return new TransformAttribute(KEY_LENGTH, true, new byte[] {(byte) (bits >>> 8), (byte) bits});
    }

    static TransformAttribute decode(ByteBuffer in) throws InvalidMessageException {
        int typeField = Wire.u16(in, "attribute type");
        boolean tv = (typeField & 0x8000) != 0;
        int type = typeField & 0x7fff;
        if (tv) {
            return new TransformAttribute(type, true, Wire.bytes(in, 2, "TV attribute value"));
        }
        int length = Wire.u16(in, "TLV attribute length");
        if (length > in.remaining()) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "TLV attribute of " + length + " bytes, "
                    + in.remaining() + " left in transform");
        }
        return new TransformAttribute(type, false, Wire.bytes(in, length, "TLV attribute value"));
    }

    /** The value as an unsigned number, for TV attributes. */
    public int shortValue() {
        return tvFormat ? ((value[0] & 0xff) << 8) | (value[1] & 0xff) : -1;
    }

    int encodedLength() {
        return tvFormat ? 4 : 4 + value.length;
    }

    void encode(ByteBuffer out) {
        Wire.putU16(out, (tvFormat ? 0x8000 : 0) | attributeType);
        if (!tvFormat) {
            Wire.putU16(out, value.length);
        }
        out.put(value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformAttribute a && a.attributeType == attributeType && a.tvFormat == tvFormat
                && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * attributeType + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return attributeType == KEY_LENGTH && tvFormat ? "keylen=" + shortValue() : "attr" + attributeType + "=" + Wire.hex(value);
    }
}
