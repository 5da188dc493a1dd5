package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Key Exchange payload: the Diffie-Hellman public value (RFC 2408 3.7). */
public record KePayload1(byte[] keyExchangeData) implements V1Payload {
    public KePayload1 {
        keyExchangeData = V1Wire.copy(keyExchangeData);
        check(keyExchangeData.length);
    }

    private static void check(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a KE payload needs at least one octet, not " + length);
        }
    }

    public static KePayload1 decode(ByteBuffer body) throws V1ParseException {
        if (body.remaining() < 1) {
            throw new V1ParseException(Reason.BAD_LENGTH, "a KE payload needs at least one octet, not " + body.remaining());
        }
        return new KePayload1(V1Wire.rest(body));
    }

    @Override
    public byte[] keyExchangeData() {
        return keyExchangeData.clone();
    }

    @Override
    public int type() {
        return V1PayloadType.KE;
    }

    @Override
    public int bodyLength() {
        return keyExchangeData.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(keyExchangeData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KePayload1 p && Arrays.equals(p.keyExchangeData, keyExchangeData);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyExchangeData);
    }

    @Override
    public String toString() {
        return "KE[" + keyExchangeData.length + " bytes]";
    }
}
