package io.causeway.ike.v1.message;

import java.util.Arrays;

/**
 * A payload together with the exact octets it was decoded from: generic header and body as received
 * (RFC 2409 5: HASH_I covers the SA body as sent, quick mode HASH(1) the payloads after HASH with their
 * generic headers as sent). Re-encoding a decoded payload may differ from the wire in reserved octets
 * or next-payload values; hashes must use {@link #wire()} or {@link #body()}.
 */
public record DecodedPayload1(V1Payload payload, byte[] wire) {
    public DecodedPayload1 {
        wire = V1Wire.copy(wire);
        if (wire.length < V1PayloadChain.GENERIC_HEADER_LENGTH) {
            throw new IllegalArgumentException("payload wire octets shorter than a generic header");
        }
    }

    public int type() {
        return payload.type();
    }

    /** The Next Payload field as received. */
    public int nextPayload() {
        return wire[0] & 0xff;
    }

    /** Generic header plus body, as received. */
    @Override
    public byte[] wire() {
        return wire.clone();
    }

    /** The body (after the 4-octet generic header), as received. */
    public byte[] body() {
        return Arrays.copyOfRange(wire, V1PayloadChain.GENERIC_HEADER_LENGTH, wire.length);
    }

    int wireLength() {
        return wire.length;
    }

    void copyWireTo(byte[] out, int offset) {
        System.arraycopy(wire, 0, out, offset, wire.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedPayload1 d && d.payload.equals(payload) && Arrays.equals(d.wire, wire);
    }

    @Override
    public int hashCode() {
        return payload.hashCode() * 31 + Arrays.hashCode(wire);
    }

    @Override
    public String toString() {
        return payload.toString();
    }
}
