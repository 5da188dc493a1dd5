package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Nonce payload Ni/Nr (RFC 7296 3.9): 16 to 256 random octets. */
public record NoncePayload(byte[] nonce) implements Payload {
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 256;

    public NoncePayload {
        nonce = Wire.copy(nonce);
        if (nonce.length < MIN_LENGTH || nonce.length > MAX_LENGTH) {
            throw new IllegalArgumentException("nonce of " + nonce.length + " bytes, must be 16..256");
        }
    }

    public static NoncePayload decode(ByteBuffer body) throws InvalidMessageException {
        int length = body.remaining();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "nonce of " + length + " bytes, must be 16..256");
        }
        return new NoncePayload(Wire.rest(body));
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public int type() {
        return PayloadType.NONCE;
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
        return o instanceof NoncePayload p && Arrays.equals(p.nonce, nonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "No[" + nonce.length + " bytes]";
    }
}
