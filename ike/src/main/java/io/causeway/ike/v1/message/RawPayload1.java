package io.causeway.ike.v1.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A payload this package does not decode (CERT, CR, SIG, Mode Config attributes, unknown types), kept as
 * its body so a chain can be walked, hashed and re-encoded. RFC 2408 5.x treats unknown payload types
 * as INVALID-PAYLOAD-TYPE in most exchanges: the decoder keeps them, the engine decides.
 */
public record RawPayload1(int type, byte[] body) implements V1Payload {
    public RawPayload1 {
        V1Wire.checkU8(type, "payload type");
        body = V1Wire.copy(body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public int bodyLength() {
        return body.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawPayload1 p && p.type == type && Arrays.equals(p.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return V1PayloadType.name(type) + "[" + body.length + " bytes]";
    }
}
