package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Nonce payload (RFC 2408 3.13; RFC 2409 5: 8 to 256 octets). */
public record NoncePayload1(byte[] nonce) implements V1Payload {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 256;

    public NoncePayload1 {
        nonce = V1Wire.copy(nonce);
        if (nonce.length < MIN_LENGTH || nonce.length > MAX_LENGTH) {
            throw new IllegalArgumentException("nonce of " + nonce.length + " bytes, must be 8..256");
        }
    }

    public static NoncePayload1 decode(ByteBuffer body) throws V1ParseException {
        int length = body.remaining();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new V1ParseException(Reason.BAD_LENGTH, "nonce of " + length + " bytes, must be 8..256");
        }
        return new NoncePayload1(V1Wire.rest(body));
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public int type() {
        return V1PayloadType.NONCE;
    }

    @Override
    public int bodyLength() {
        return nonce.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(nonce);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoncePayload1 p && Arrays.equals(p.nonce, nonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "NONCE[" + nonce.length + " bytes]";
    }
}
