package io.causeway.ike.v2.message;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Vendor ID payload (RFC 7296 3.12): opaque octets, usually a hash naming an implementation. */
public record VendorIdPayload(byte[] vendorId) implements Payload {
    public VendorIdPayload {
        vendorId = Wire.copy(vendorId);
    }

    public static VendorIdPayload decode(ByteBuffer body) {
        return new VendorIdPayload(Wire.rest(body));
    }

    @Override
    public byte[] vendorId() {
        return vendorId.clone();
    }

    @Override
    public int type() {
        return PayloadType.VENDOR_ID;
    }

    @Override
    public int bodyLength() {
        return vendorId.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(vendorId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VendorIdPayload p && Arrays.equals(p.vendorId, vendorId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vendorId);
    }

    @Override
    public String toString() {
        return "V[" + Wire.hex(vendorId) + "]";
    }
}
