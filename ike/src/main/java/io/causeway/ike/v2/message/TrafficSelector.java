package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;

/** One traffic selector inside TSi/TSr (RFC 7296 3.13.1): an address range, or a type this codec keeps opaque. */
public sealed interface TrafficSelector permits AddressRangeSelector, OpaqueSelector {
    int TS_IPV4_ADDR_RANGE = 7;
    int TS_IPV6_ADDR_RANGE = 8;

    int tsType();

    /** Octets including the 4-octet selector header (type, protocol, length). */
    int encodedLength();

    void encode(ByteBuffer out);

    static TrafficSelector decode(ByteBuffer in) throws InvalidMessageException {
        int type = Wire.u8(in, "TS type");
        int protocol = Wire.u8(in, "TS IP protocol");
        int length = Wire.u16(in, "TS selector length");
        if (length < 4) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "traffic selector length " + length + " below 4");
        }
        ByteBuffer body = Wire.slice(in, length - 4, "traffic selector");
        return switch (type) {
            case TS_IPV4_ADDR_RANGE -> AddressRangeSelector.decodeBody(protocol, 4, body);
            case TS_IPV6_ADDR_RANGE -> AddressRangeSelector.decodeBody(protocol, 16, body);
            default -> new OpaqueSelector(type, protocol, Wire.rest(body));
        };
    }
}
