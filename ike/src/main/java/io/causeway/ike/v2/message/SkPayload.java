package io.causeway.ike.v2.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encrypted and Authenticated payload SK (RFC 7296 3.14; AEAD layout RFC 5282 3): its generic header's
 * Next Payload names the first inner payload; the body is IV || ciphertext (with padding) || ICV, kept
 * as received. Decryption happens elsewhere; {@link SkLayout} says where each part lies.
 */
public record SkPayload(int firstInnerType, byte[] encrypted) implements Payload {
    public SkPayload {
        Wire.checkU8(firstInnerType, "first inner payload type");
        encrypted = Wire.copy(encrypted);
    }

    public static SkPayload decode(int firstInnerType, ByteBuffer body) {
        return new SkPayload(firstInnerType, Wire.rest(body));
    }

    @Override
    public byte[] encrypted() {
        return encrypted.clone();
    }

    @Override
    public int type() {
        return PayloadType.SK;
    }

    @Override
    public int bodyLength() {
        return encrypted.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(encrypted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkPayload p && p.firstInnerType == firstInnerType && Arrays.equals(p.encrypted, encrypted);
    }

    @Override
    public int hashCode() {
        return 31 * firstInnerType + Arrays.hashCode(encrypted);
    }

    @Override
    public String toString() {
        return "SK[first " + PayloadType.name(firstInnerType) + ", " + encrypted.length + " bytes]";
    }
}
