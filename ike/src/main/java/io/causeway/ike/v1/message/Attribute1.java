package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A data attribute (RFC 2408 3.3): basic TV form when the AF bit is set (type | 0x8000, then a 2-octet
 * value), TLV form otherwise (type, 2-octet length, value). {@code type} is the 15-bit attribute type
 * without the AF bit. Types are those of {@link IkeAttributes} in phase 1 and {@link IpsecAttributes}
 * in quick mode.
 */
public record Attribute1(int type, byte[] value, boolean basic) {
    static final int AF = 0x8000;

    public Attribute1 {
        if (type < 0 || type > 0x7fff) {
            throw new IllegalArgumentException("attribute type " + type + " does not fit 15 bits");
        }
        value = V1Wire.copy(value);
        if (basic && value.length != 2) {
            throw new IllegalArgumentException("a basic (TV) attribute has a 2-octet value, not " + value.length);
        }
        V1Wire.checkU16(value.length, "attribute length");
    }

    /** A TV attribute with a 16-bit value. */
    public static Attribute1 basic(int type, int value) {
        V1Wire.checkU16(value, "basic attribute value");
        return new Attribute1(type, new byte[] {(byte) (value >>> 8), (byte) value}, true);
    }

    /** A TLV attribute with the given octets. */
    public static Attribute1 variable(int type, byte[] value) {
        return new Attribute1(type, value, false);
    }

    /**
     * A numeric attribute such as a lifetime (RFC 2407 4.5): TV for values up to 0xFFFF, TLV with the
     * minimal big-endian octets (at most 8) above.
     */
    public static Attribute1 ofNumber(int type, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("attribute value " + value + " is negative");
        }
        if (value <= 0xffff) {
            return basic(type, (int) value);
        }
        int octets = (Long.SIZE - Long.numberOfLeadingZeros(value) + 7) / 8;
        byte[] bytes = new byte[octets];
        for (int i = 0; i < octets; i++) {
            bytes[octets - 1 - i] = (byte) (value >>> (8 * i));
        }
        return variable(type, bytes);
    }

    /**
     * The value as an unsigned big-endian number, from a TV or TLV attribute. Saturates: a value that
     * does not fit a signed 64-bit long (more than 63 significant bits, e.g. a 9-octet TLV) is
     * {@link Long#MAX_VALUE}, which as a lifetime means "practically forever" and is never smaller
     * than what was offered. An empty TLV value is 0.
     */
    public long number() {
        int start = 0;
        while (start < value.length && value[start] == 0) {
            start++;
        }
        int significant = value.length - start;
        if (significant > 8 || (significant == 8 && value[start] < 0)) {
            return Long.MAX_VALUE;
        }
        long n = 0;
        for (int i = start; i < value.length; i++) {
            n = (n << 8) | (value[i] & 0xff);
        }
        return n;
    }

    static Attribute1 decode(ByteBuffer in) throws V1ParseException {
        int typeField = V1Wire.u16(in, "attribute type");
        int type = typeField & 0x7fff;
        if ((typeField & AF) != 0) {
            return new Attribute1(type, V1Wire.bytes(in, 2, "attribute " + type + " value"), true);
        }
        int length = V1Wire.u16(in, "attribute " + type + " length");
        if (length > in.remaining()) {
            throw new V1ParseException(Reason.BAD_LENGTH, "attribute " + type + " of " + length + " bytes, "
                    + in.remaining() + " left");
        }
        return new Attribute1(type, V1Wire.bytes(in, length, "attribute " + type + " value"), false);
    }

    int encodedLength() {
        return basic ? 4 : 4 + value.length;
    }

    void encode(ByteBuffer out) {
        V1Wire.putU16(out, (basic ? AF : 0) | type);
        if (!basic) {
            V1Wire.putU16(out, value.length);
        }
        out.put(value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribute1 a && a.type == type && a.basic == basic && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value) + (basic ? 1 : 0);
    }

    @Override
    public String toString() {
        return type + "=" + (basic || value.length <= 8 ? String.valueOf(number()) : "[" + value.length + " bytes]");
    }
}
