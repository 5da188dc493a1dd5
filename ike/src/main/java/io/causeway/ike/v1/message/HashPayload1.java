package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Hash payload: HASH_I/HASH_R or a quick mode/informational HASH(n) (RFC 2408 3.11, RFC 2409 5). */
public record HashPayload1(byte[] hash) implements V1Payload {
    public HashPayload1 {
        hash = V1Wire.copy(hash);
        check(hash.length);
    }

    private static void check(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a HASH payload needs at least one octet, not " + length);
        }
    }

    public static HashPayload1 decode(ByteBuffer body) throws V1ParseException {
        if (body.remaining() < 1) {
            throw new V1ParseException(Reason.BAD_LENGTH, "a HASH payload needs at least one octet, not " + body.remaining());
        }
        return new HashPayload1(V1Wire.rest(body));
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public int type() {
        return V1PayloadType.HASH;
    }

    @Override
    public int bodyLength() {
        return hash.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashPayload1 p && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "HASH[" + hash.length + " bytes]";
    }
}
