package io.causeway.ike.v2.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A traffic selector of a type other than 7/8 (RFC 7296 3.13.1), kept so it can be narrowed away. */
public record OpaqueSelector(int tsType, int ipProtocolId, byte[] body) implements TrafficSelector {
    public OpaqueSelector {
        Wire.checkU8(tsType, "TS type");
        Wire.checkU8(ipProtocolId, "IP protocol");
        body = Wire.copy(body);
        Wire.checkU16(body.length + 4, "selector length");
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public int encodedLength() {
        return 4 + body.length;
    }

    @Override
    public void encode(ByteBuffer out) {
        Wire.putU8(out, tsType);
        Wire.putU8(out, ipProtocolId);
        Wire.putU16(out, encodedLength());
        out.put(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueSelector s && s.tsType == tsType && s.ipProtocolId == ipProtocolId && Arrays.equals(s.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * tsType + Arrays.hashCode(body);
    }
}
