package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/** Bounds-checked big-endian reads of network input: every short read becomes an InvalidMessageException. */
final class Wire {
    private Wire() {
    }

    static void need(ByteBuffer in, int count, String what) throws InvalidMessageException {
        if (count < 0 || in.remaining() < count) {
            throw new InvalidMessageException(Reason.TRUNCATED,
                    what + ": need " + count + " bytes, " + in.remaining() + " left");
        }
    }

    static int u8(ByteBuffer in, String what) throws InvalidMessageException {
        need(in, 1, what);
        return in.get() & 0xff;
    }

    static int u16(ByteBuffer in, String what) throws InvalidMessageException {
        need(in, 2, what);
        return in.getShort() & 0xffff;
    }

    static long u32(ByteBuffer in, String what) throws InvalidMessageException {
        need(in, 4, what);
        return in.getInt() & 0xffffffffL;
    }

    static int u24(ByteBuffer in, String what) throws InvalidMessageException {
        need(in, 3, what);
        return ((in.get() & 0xff) << 16) | ((in.get() & 0xff) << 8) | (in.get() & 0xff);
    }

    static byte[] bytes(ByteBuffer in, int count, String what) throws InvalidMessageException {
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
    static ByteBuffer slice(ByteBuffer in, int count, String what) throws InvalidMessageException {
        need(in, count, what);
        ByteBuffer part = in.slice();
        part.limit(count);
        in.position(in.position() + count);
        return part;
    }

    static void noTrailingBytes(ByteBuffer in, String what) throws InvalidMessageException {
        if (in.hasRemaining()) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, what + ": " + in.remaining() + " unexpected trailing bytes");
        }
    }

    static void putU8(ByteBuffer out, int value) {
        out.put((byte) value);
    }

    static void putU16(ByteBuffer out, int value) {
        out.putShort((short) value);
    }

    static void putU24(ByteBuffer out, int value) {
        out.put((byte) (value >>> 16)).put((byte) (value >>> 8)).put((byte) value);
    }

    static void putU32(ByteBuffer out, long value) {
        out.putInt((int) value);
    }

    static byte[] copy(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes.clone();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
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
