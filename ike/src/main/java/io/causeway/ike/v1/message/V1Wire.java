package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Bounds-checked big-endian reads of IKEv1 input: every short read becomes a V1ParseException. */
final class V1Wire {
    private V1Wire() {
    }

    static void need(ByteBuffer in, int count, String what) throws V1ParseException {
        if (count < 0 || in.remaining() < count) {
            throw new V1ParseException(Reason.TRUNCATED, what + ": need " + count + " bytes, " + in.remaining() + " left");
        }
    }

    static int u8(ByteBuffer in, String what) throws V1ParseException {
        need(in, 1, what);
        return in.get() & 0xff;
    }

    static int u16(ByteBuffer in, String what) throws V1ParseException {
        need(in, 2, what);
        return in.getShort() & 0xffff;
    }

    static int u32(ByteBuffer in, String what) throws V1ParseException {
        need(in, 4, what);
        return in.getInt();
    }

    static byte[] bytes(ByteBuffer in, int count, String what) throws V1ParseException {
        need(in, count, what);
        byte[] out = new byte[count];
        in.get(out);
        return out;
    }

    static byte[] rest(ByteBuffer in) {
        byte[] out = new byte[in.remaining()];
        in.get(out);
        return out;
    }

    /** The next count bytes as a buffer of their own; the source advances past them. */
    static ByteBuffer slice(ByteBuffer in, int count, String what) throws V1ParseException {
        need(in, count, what);
        ByteBuffer part = in.slice();
        part.limit(count);
        in.position(in.position() + count);
        return part;
    }

    static void noTrailingBytes(ByteBuffer in, String what) throws V1ParseException {
        if (in.hasRemaining()) {
            throw new V1ParseException(Reason.BAD_LENGTH, what + ": " + in.remaining() + " unexpected trailing bytes");
        }
    }

    static void putU8(ByteBuffer out, int value) {
        out.put((byte) value);
    }

    static void putU16(ByteBuffer out, int value) {
        out.putShort((short) value);
    }

    static void putU32(ByteBuffer out, int value) {
        out.putInt(value);
    }

    static byte[] copy(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes.clone();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static void checkU8(int value, String what) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException(what + " " + value + " does not fit one octet");
        }
    }

    static void checkU16(int value, String what) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(what + " " + value + " does not fit two octets");
        }
    }
}
