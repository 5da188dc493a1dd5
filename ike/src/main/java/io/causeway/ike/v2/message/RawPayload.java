package io.causeway.ike.v2.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A payload kept as its body octets (RFC 7296 3.2): unknown non-critical types, and CERT (3.6),
 * CERTREQ (3.7), CP (3.15) and EAP (3.16), which Causeway does not interpret yet.
 */
public record RawPayload(int type, boolean critical, byte[] body) implements Payload {
    public RawPayload {
        Wire.checkU8(type, "payload type");
        body = Wire.copy(body);
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
        return o instanceof RawPayload p && p.type == type && p.critical == critical && Arrays.equals(p.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return PayloadType.name(type) + (critical ? "(critical)" : "") + "[" + body.length + " bytes]";
    }
}
