package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;

/**
 * The IKE header (RFC 7296 3.1). SPIs are kept as the 64-bit big-endian value of their 8 octets;
 * the message id is the unsigned 32-bit value; length is the whole message including this header.
 */
public record IkeHeader(long initiatorSpi, long responderSpi, int nextPayload, int majorVersion, int minorVersion,
                        int exchangeType, int flags, long messageId, long length) {
    public static final int LENGTH = 28;
    public static final int MAJOR_VERSION = 2;
    public static final int FLAG_INITIATOR = 0x08;
    public static final int FLAG_VERSION = 0x10;
    public static final int FLAG_RESPONSE = 0x20;

    public IkeHeader {
        Wire.checkU8(nextPayload, "next payload");
        if (majorVersion < 0 || majorVersion > 15 || minorVersion < 0 || minorVersion > 15) {
            throw new IllegalArgumentException("version " + majorVersion + "." + minorVersion + " does not fit a nibble");
        }
        Wire.checkU8(exchangeType, "exchange type");
        Wire.checkU8(flags, "flags");
        if (messageId < 0 || messageId > 0xffffffffL) {
            throw new IllegalArgumentException("message id " + messageId + " is not an unsigned 32-bit value");
        }
        if (length < 0 || length > 0xffffffffL) {
            throw new IllegalArgumentException("length " + length + " is not an unsigned 32-bit value");
        }
    }

    /** A version 2.0 header; next payload and length are filled in when the message is encoded. */
    public static IkeHeader of(long initiatorSpi, long responderSpi, int exchangeType, boolean initiator,
                               boolean response, long messageId) {
        int flags = (initiator ? FLAG_INITIATOR : 0) | (response ? FLAG_RESPONSE : 0);
        return new IkeHeader(initiatorSpi, responderSpi, PayloadType.NONE, MAJOR_VERSION, 0, exchangeType, flags,
                messageId, 0);
    }

    /** The major version nibble of a datagram, for demultiplexing IKEv1 (1) and IKEv2 (2); -1 if too short. */
    public static int peekMajorVersion(byte[] datagram, int offset, int length) {
        return length < LENGTH ? -1 : (datagram[offset + 17] & 0xf0) >>> 4;
    }

    /**
     * Reads the 28 header octets at the buffer's position and checks the version. Does not compare
     * the length field with anything; {@link IkeMessage#decode} does.
     */
    public static IkeHeader decode(ByteBuffer in) throws InvalidMessageException {
        Wire.need(in, LENGTH, "IKE header");
        long spiI = in.getLong();
        long spiR = in.getLong();
        int next = in.get() & 0xff;
        int version = in.get() & 0xff;
        int exchange = in.get() & 0xff;
        int flags = in.get() & 0xff;
        long messageId = in.getInt() & 0xffffffffL;
        long length = in.getInt() & 0xffffffffL;
        int major = version >>> 4;
        if (major != MAJOR_VERSION) {
            throw new InvalidMessageException(Reason.UNSUPPORTED_MAJOR_VERSION, "IKE major version " + major + ", expected 2");
        }
        if (length < LENGTH) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "IKE header length " + length + " is below 28");
        }
        return new IkeHeader(spiI, spiR, next, major, version & 0x0f, exchange, flags, messageId, length);
    }

    public void encode(ByteBuffer out) {
        out.putLong(initiatorSpi).putLong(responderSpi);
        Wire.putU8(out, nextPayload);
        Wire.putU8(out, (majorVersion << 4) | minorVersion);
        Wire.putU8(out, exchangeType);
        Wire.putU8(out, flags);
        Wire.putU32(out, messageId);
        Wire.putU32(out, length);
    }

    /** Set by the original initiator of the IKE SA. */
    public boolean initiator() {
        return (flags & FLAG_INITIATOR) != 0;
    }

    public boolean response() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** The sender could speak a higher major version. */
    public boolean higherVersionPossible() {
        return (flags & FLAG_VERSION) != 0;
    }

    public IkeHeader withNextPayload(int type) {
        return new IkeHeader(initiatorSpi, responderSpi, type, majorVersion, minorVersion, exchangeType, flags, messageId, length);
    }

    public IkeHeader withLength(long newLength) {
        return new IkeHeader(initiatorSpi, responderSpi, nextPayload, majorVersion, minorVersion, exchangeType, flags,
                messageId, newLength);
    }

    public IkeHeader withResponderSpi(long spi) {
        return new IkeHeader(initiatorSpi, spi, nextPayload, majorVersion, minorVersion, exchangeType, flags, messageId, length);
    }

    @Override
    public String toString() {
        return String.format("%s %s %d [%016x_i %016x_r%s]", ExchangeType.name(exchangeType),
                response() ? "response" : "request", messageId, initiatorSpi, responderSpi,
                initiator() ? " I" : "");
    }
}
