package io.causeway.ike.v2.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Authentication payload (RFC 7296 3.8): the method and its data, e.g. the PSK MIC for method 2. */
public record AuthPayload(int method, byte[] data) implements Payload {
    public static final int RSA_DIGITAL_SIGNATURE = 1;
    public static final int SHARED_KEY_MIC = 2;
    public static final int DSS_DIGITAL_SIGNATURE = 3;
    public static final int DIGITAL_SIGNATURE = 14;

    public AuthPayload {
        Wire.checkU8(method, "auth method");
        data = Wire.copy(data);
    }

    public static AuthPayload decode(ByteBuffer body) throws InvalidMessageException {
        int method = Wire.u8(body, "AUTH method");
        Wire.u24(body, "AUTH reserved");
        return new AuthPayload(method, Wire.rest(body));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return PayloadType.AUTH;
    }

    @Override
    public int bodyLength() {
        return 4 + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU8(out, method);
        Wire.putU24(out, 0);
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthPayload p && p.method == method && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * method + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AUTH[method " + method + ", " + data.length + " bytes]";
    }
}
