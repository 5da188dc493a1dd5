package io.causeway.ike.v1.message;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/** Vendor ID payload (RFC 2408 3.16): an opaque octet string, usually a hash; see {@link KnownVendorIds}. */
public record VendorIdPayload1(byte[] data) implements V1Payload {
    public VendorIdPayload1 {
        data = V1Wire.copy(data);
    }

    public static VendorIdPayload1 decode(ByteBuffer body) {
        return new VendorIdPayload1(V1Wire.rest(body));
    }

    /** The name of a vendor id this package knows, for logs and feature detection. */
    public Optional<String> knownName() {
        return KnownVendorIds.name(data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return V1PayloadType.VENDOR_ID;
    }

    @Override
    public int bodyLength() {
        return data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VendorIdPayload1 p && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "V(" + knownName().orElse(V1Wire.hex(data)) + ")";
    }
}
