package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * NAT-Discovery payload (RFC 3947 3.2): HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash. One
 * class for the RFC's type 20 and the drafts' 130; {@code type} says which was (or is to be) sent.
 */
public record NatDPayload1(int type, byte[] hash) implements V1Payload {
    public NatDPayload1 {
        if (type != V1PayloadType.NAT_D && type != V1PayloadType.NAT_D_DRAFT) {
            throw new IllegalArgumentException("NAT-D payload type " + type + ", must be 20 or 130");
        }
        hash = V1Wire.copy(hash);
        if (hash.length == 0) {
            throw new IllegalArgumentException("empty NAT-D hash");
        }
    }

    /**
     * RFC 3947 3.2: HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash function (not the PRF),
     * port big-endian. One for the peer's address and port, one for each of one's own.
     */
    public static NatDPayload1 compute(int type, UnaryOperator<byte[]> hash, long initiatorCookie, long responderCookie,
                                       InetAddress address, int port) {
        V1Wire.checkU16(port, "port");
        byte[] ip = address.getAddress();
        ByteBuffer input = ByteBuffer.allocate(16 + ip.length + 2);
        input.putLong(initiatorCookie).putLong(responderCookie).put(ip).putShort((short) port);
        return new NatDPayload1(type, hash.apply(input.array()));
    }

    public static NatDPayload1 decode(int type, ByteBuffer body) throws V1ParseException {
        if (!body.hasRemaining()) {
            throw new V1ParseException(Reason.BAD_LENGTH, "empty NAT-D hash");
        }
        return new NatDPayload1(type, V1Wire.rest(body));
    }

    @Override
    public byte[] hash() {
        return hash.clone();
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
        return o instanceof NatDPayload1 p && p.type == type && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return V1PayloadType.name(type) + "[" + V1Wire.hex(hash) + "]";
    }
}
