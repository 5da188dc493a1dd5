package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * NAT Original Address payload (RFC 3947 5.2): id type (ID_IPV4_ADDR or ID_IPV6_ADDR), three reserved
 * octets and the address. Type 21, or 131 in the drafts.
 */
public record NatOaPayload1(int type, int idType, byte[] address) implements V1Payload {
    public NatOaPayload1 {
        if (type != V1PayloadType.NAT_OA && type != V1PayloadType.NAT_OA_DRAFT) {
            throw new IllegalArgumentException("NAT-OA payload type " + type + ", must be 21 or 131");
        }
        address = V1Wire.copy(address);
        int expected = expectedLength(idType);
        if (expected < 0 || address.length != expected) {
            throw new IllegalArgumentException("NAT-OA id type " + idType + " with " + address.length + " address bytes");
        }
    }

    public static NatOaPayload1 of(int type, InetAddress address) {
        byte[] a = address.getAddress();
        return new NatOaPayload1(type, a.length == 4 ? IdPayload1.ID_IPV4_ADDR : IdPayload1.ID_IPV6_ADDR, a);
    }

    private static int expectedLength(int idType) {
        return idType == IdPayload1.ID_IPV4_ADDR ? 4 : idType == IdPayload1.ID_IPV6_ADDR ? 16 : -1;
    }

    public static NatOaPayload1 decode(int type, ByteBuffer body) throws V1ParseException {
        int idType = V1Wire.u8(body, "NAT-OA id type");
        V1Wire.bytes(body, 3, "NAT-OA reserved");
        int expected = expectedLength(idType);
        if (expected < 0) {
            throw new V1ParseException(Reason.BAD_VALUE, "NAT-OA id type " + idType + ", must be ID_IPV4_ADDR or ID_IPV6_ADDR");
        }
        if (body.remaining() != expected) {
            throw new V1ParseException(Reason.BAD_LENGTH, "NAT-OA address of " + body.remaining() + " bytes, must be "
                    + expected);
        }
        return new NatOaPayload1(type, idType, V1Wire.rest(body));
    }

    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public int bodyLength() {
        return 4 + address.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        V1Wire.putU8(out, idType);
        out.put(new byte[3]);
        out.put(address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NatOaPayload1 p && p.type == type && p.idType == idType && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + idType) + Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return V1PayloadType.name(type) + "(" + inetAddress().getHostAddress() + ")";
    }
}
