package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proposal payload (RFC 2408 3.5), nested in an SA payload: proposal number, protocol, SPI and the
 * transforms, which are alternatives (one is chosen). Several proposals with the same number form one
 * AND-ed offer (e.g. AH and ESP together, RFC 2408 4.2); numbers are kept exactly as decoded.
 */
public record ProposalPayload1(int number, int protocolId, byte[] spi, List<TransformPayload1> transforms) {
    public static final int PROTO_ISAKMP = 1;
    public static final int PROTO_IPSEC_AH = 2;
    public static final int PROTO_IPSEC_ESP = 3;
    public static final int PROTO_IPCOMP = 4;
    static final int HEADER_LENGTH = 8;

    public ProposalPayload1 {
        V1Wire.checkU8(number, "proposal number");
        V1Wire.checkU8(protocolId, "protocol id");
        spi = V1Wire.copy(spi);
        V1Wire.checkU8(spi.length, "SPI size");
        transforms = List.copyOf(transforms);
        V1Wire.checkU8(transforms.size(), "number of transforms");
    }

    /** Decodes one proposal at the buffer's position; returns whether another proposal follows. */
    static boolean decodeInto(ByteBuffer in, List<ProposalPayload1> out) throws V1ParseException {
        int next = V1Wire.u8(in, "proposal next payload");
        if (next != V1PayloadType.NONE && next != V1PayloadType.PROPOSAL) {
            throw new V1ParseException(Reason.BAD_VALUE, "proposal next payload " + next + ", expected 0 or 2");
        }
        V1Wire.u8(in, "proposal reserved");
        int length = V1Wire.u16(in, "proposal length");
        if (length < HEADER_LENGTH) {
            throw new V1ParseException(Reason.BAD_LENGTH, "proposal length " + length + " below 8");
        }
        ByteBuffer body = V1Wire.slice(in, length - 4, "proposal");
        int number = V1Wire.u8(body, "proposal number");
        int protocol = V1Wire.u8(body, "proposal protocol id");
        int spiSize = V1Wire.u8(body, "proposal SPI size");
        int count = V1Wire.u8(body, "proposal number of transforms");
        byte[] spi = V1Wire.bytes(body, spiSize, "proposal SPI");
        if (count > V1PayloadChain.MAX_PER_LEVEL) {
            throw new V1ParseException(Reason.LIMIT_EXCEEDED, "proposal " + number + " announces " + count
                    + " transforms, limit " + V1PayloadChain.MAX_PER_LEVEL);
        }
        List<TransformPayload1> transforms = new ArrayList<>(count);
        boolean more = count > 0;
        while (more) {
            if (transforms.size() >= count) {
                throw new V1ParseException(Reason.BAD_VALUE, "proposal " + number + " announces " + count
                        + " transforms but has more");
            }
            more = TransformPayload1.decodeInto(body, transforms);
        }
        if (transforms.size() != count) {
            throw new V1ParseException(Reason.BAD_VALUE, "proposal " + number + " announces " + count
                    + " transforms, has " + transforms.size());
        }
        V1Wire.noTrailingBytes(body, "proposal " + number);
        out.add(new ProposalPayload1(number, protocol, spi, transforms));
        return next == V1PayloadType.PROPOSAL;
    }

    int encodedLength() {
        int length = HEADER_LENGTH + spi.length;
        for (TransformPayload1 t : transforms) {
            length += t.encodedLength();
        }
        return length;
    }

    void encode(ByteBuffer out, boolean last) {
        int length = encodedLength();
        V1Wire.checkU16(length, "proposal length");
        V1Wire.putU8(out, last ? V1PayloadType.NONE : V1PayloadType.PROPOSAL);
        V1Wire.putU8(out, 0);
        V1Wire.putU16(out, length);
        V1Wire.putU8(out, number);
        V1Wire.putU8(out, protocolId);
        V1Wire.putU8(out, spi.length);
        V1Wire.putU8(out, transforms.size());
        out.put(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).encode(out, i == transforms.size() - 1);
        }
    }

    /** The SPI as an unsigned 32-bit value (4-octet ESP/AH SPI), or -1 for other sizes. */
    public long spi32() {
        return spi.length == 4 ? ByteBuffer.wrap(spi).getInt() & 0xffffffffL : -1;
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProposalPayload1 p && p.number == number && p.protocolId == protocolId
                && Arrays.equals(p.spi, spi) && p.transforms.equals(transforms);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * number + protocolId) + Arrays.hashCode(spi) + transforms.hashCode();
    }

    @Override
    public String toString() {
        return "P#" + number + "(protocol " + protocolId + (spi.length > 0 ? ", spi " + V1Wire.hex(spi) : "") + ", "
                + transforms + ")";
    }
}
