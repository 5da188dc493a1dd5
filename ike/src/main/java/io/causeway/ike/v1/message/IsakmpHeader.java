package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;

/**
 * The ISAKMP header (RFC 2408 3.1). Cookies are the 64-bit big-endian value of their 8 octets; the
 * message id is kept as the raw 32 bits (compare with {@link Integer#toUnsignedLong} for display);
 * length covers the whole message including this header and, for encrypted messages, the padding.
 * Encoding always writes version 1.0 ({@link #VERSION}); decoding accepts any minor version.
 */
public record IsakmpHeader(long initiatorCookie, long responderCookie, int nextPayload, int exchangeType, int flags,
                           int messageId, int length) {
    public static final int LENGTH = 28;
    /** The E(ncryption) bit: everything after the header is encrypted (RFC 2408 3.1). */
    public static final int FLAG_ENCRYPTION = 1;
    public static final int FLAG_COMMIT = 2;
    public static final int FLAG_AUTH_ONLY = 4;
    /** Major version 1, minor version 0. */
    public static final int VERSION = 0x10;
    public static final int MAJOR_VERSION = 1;

    public IsakmpHeader {
        V1Wire.checkU8(nextPayload, "next payload");
        V1Wire.checkU8(exchangeType, "exchange type");
        V1Wire.checkU8(flags, "flags");
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
    }

    /** A header whose next payload and length are filled in when the message is encoded. */
    public static IsakmpHeader of(long initiatorCookie, long responderCookie, int exchangeType, int flags, int messageId) {
        return new IsakmpHeader(initiatorCookie, responderCookie, V1PayloadType.NONE, exchangeType, flags, messageId, 0);
    }

    /** The major version nibble of byte 17 of a datagram (1 for IKEv1, 2 for IKEv2), or -1 when shorter than a header. */
    public static int majorVersion(byte[] datagram) {
        return datagram == null || datagram.length < LENGTH ? -1 : (datagram[17] & 0xf0) >>> 4;
    }

    /**
     * Reads the header at the start of a datagram. The major version must be 1 and the length field must
     * be at least 28 and at most the datagram's length; octets after {@code length} are ignored.
     */
    public static IsakmpHeader decode(byte[] datagram) throws V1ParseException {
        if (datagram == null || datagram.length < LENGTH) {
            throw new V1ParseException(Reason.TRUNCATED, "ISAKMP header: need 28 bytes, have "
                    + (datagram == null ? 0 : datagram.length));
        }
        ByteBuffer in = ByteBuffer.wrap(datagram);
        long icookie = in.getLong();
        long rcookie = in.getLong();
        int next = in.get() & 0xff;
        int version = in.get() & 0xff;
        int exchange = in.get() & 0xff;
        int flags = in.get() & 0xff;
        int messageId = in.getInt();
        long length = in.getInt() & 0xffffffffL;
        if (version >>> 4 != MAJOR_VERSION) {
            throw new V1ParseException(Reason.UNSUPPORTED_VERSION, "ISAKMP major version " + (version >>> 4) + ", expected 1");
        }
        if (length < LENGTH) {
            throw new V1ParseException(Reason.BAD_LENGTH, "ISAKMP header length " + length + " is below 28");
        }
        if (length > datagram.length) {
            throw new V1ParseException(Reason.TRUNCATED, "ISAKMP header length " + length + " but the datagram has "
                    + datagram.length + " bytes");
        }
        return new IsakmpHeader(icookie, rcookie, next, exchange, flags, messageId, (int) length);
    }

    /** Writes the 28 header octets. */
    public void encode(ByteBuffer out) {
        out.putLong(initiatorCookie).putLong(responderCookie);
        V1Wire.putU8(out, nextPayload);
        V1Wire.putU8(out, VERSION);
        V1Wire.putU8(out, exchangeType);
        V1Wire.putU8(out, flags);
        V1Wire.putU32(out, messageId);
        V1Wire.putU32(out, length);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(LENGTH);
        encode(out);
        return out.array();
    }

    public boolean encrypted() {
        return (flags & FLAG_ENCRYPTION) != 0;
    }

    public boolean commit() {
        return (flags & FLAG_COMMIT) != 0;
    }

    public boolean authOnly() {
        return (flags & FLAG_AUTH_ONLY) != 0;
    }

    /** The 16 octets of both cookies, the ISAKMP SPI of RFC 2408 2.5.3 (as in DELETE and NOTIFY payloads). */
    public byte[] cookies() {
        return ByteBuffer.allocate(16).putLong(initiatorCookie).putLong(responderCookie).array();
    }

    public IsakmpHeader withNextPayload(int type) {
        return new IsakmpHeader(initiatorCookie, responderCookie, type, exchangeType, flags, messageId, length);
    }

    public IsakmpHeader withLength(int newLength) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, exchangeType, flags, messageId, newLength);
    }

    public IsakmpHeader withFlags(int newFlags) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, exchangeType, newFlags, messageId, length);
    }

    public IsakmpHeader withExchangeType(int type) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, type, flags, messageId, length);
    }

    public IsakmpHeader withMessageId(int id) {
        return new IsakmpHeader(initiatorCookie, responderCookie, nextPayload, exchangeType, flags, id, length);
    }

    @Override
    public String toString() {
        return String.format("%s %d [%016x_i %016x_r%s%s%s] %d bytes", V1ExchangeType.name(exchangeType),
                Integer.toUnsignedLong(messageId), initiatorCookie, responderCookie, encrypted() ? " E" : "",
                commit() ? " C" : "", authOnly() ? " A" : "", length);
    }
}
