package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Key Exchange payload (RFC 7296 3.4): the Diffie-Hellman group number and the public value. */
public record KePayload(int dhGroup, byte[] keyData) implements Payload {
    public KePayload {
        Wire.checkU16(dhGroup, "DH group");
        keyData = Wire.copy(keyData);
    }

    public static KePayload decode(ByteBuffer body) throws InvalidMessageException {
        int group = Wire.u16(body, "KE group");
        Wire.u16(body, "KE reserved");
        if (!body.hasRemaining()) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "KE payload without key exchange data");
        }
        return new KePayload(group, Wire.rest(body));
    }

    @Override
    public byte[] keyData() {
        return keyData.clone();
    }

    @Override
    public int type() {
        return PayloadType.KE;
    }

    @Override
    public int bodyLength() {
        return 4 + keyData.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU16(out, dhGroup);
        Wire.putU16(out, 0);
        out.put(keyData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KePayload p && p.dhGroup == dhGroup && Arrays.equals(p.keyData, keyData);
    }

    @Override
    public int hashCode() {
        return 31 * dhGroup + Arrays.hashCode(keyData);
    }

    @Override
    public String toString() {
        return "KE[group " + dhGroup + ", " + keyData.length + " bytes]";
    }
}
