package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encrypted Fragment payload SKF (RFC 7383 2.5): fragment number and total (both from 1), then
 * IV || ciphertext || ICV as in SK. Only fragment 1 names the first inner payload; the others carry 0.
 */
public record SkfPayload(int fragmentNumber, int totalFragments, int firstInnerType, byte[] encrypted) implements Payload {
    /** Fragment Number and Total Fragments, after the generic header. */
    public static final int FRAGMENT_FIELDS_LENGTH = 4;

    public SkfPayload {
        Wire.checkU8(firstInnerType, "first inner payload type");
        Wire.checkU16(fragmentNumber, "fragment number");
        Wire.checkU16(totalFragments, "total fragments");
        if (fragmentNumber < 1 || fragmentNumber > totalFragments) {
            throw new IllegalArgumentException("fragment " + fragmentNumber + " of " + totalFragments);
        }
        encrypted = Wire.copy(encrypted);
    }

    public static SkfPayload decode(int firstInnerType, ByteBuffer body) throws InvalidMessageException {
        int number = Wire.u16(body, "SKF fragment number");
        int total = Wire.u16(body, "SKF total fragments");
        if (number < 1 || number > total) {
            throw new InvalidMessageException(Reason.BAD_VALUE, "fragment number " + number + " of " + total);
        }
        return new SkfPayload(number, total, firstInnerType, Wire.rest(body));
    }

    @Override
    public byte[] encrypted() {
        return encrypted.clone();
    }

    @Override
    public int type() {
        return PayloadType.SKF;
    }

    @Override
    public int bodyLength() {
        return FRAGMENT_FIELDS_LENGTH + encrypted.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU16(out, fragmentNumber);
        Wire.putU16(out, totalFragments);
        out.put(encrypted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkfPayload p && p.fragmentNumber == fragmentNumber && p.totalFragments == totalFragments
                && p.firstInnerType == firstInnerType && Arrays.equals(p.encrypted, encrypted);
    }

    @Override
    public int hashCode() {
        return (31 * fragmentNumber + totalFragments) * 31 + firstInnerType + Arrays.hashCode(encrypted);
    }

    @Override
    public String toString() {
        return "SKF[" + fragmentNumber + "/" + totalFragments + ", first " + PayloadType.name(firstInnerType) + ", "
                + encrypted.length + " bytes]";
    }
}
