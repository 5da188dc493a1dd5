package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Delete payload (RFC 2408 3.15): DOI, protocol, SPI size and the SPIs. An ISAKMP SA is named by both
 * cookies (16 octets, RFC 2408 2.5.3), an ESP or AH SA by its 4-octet SPI. The SPI count is bounded by
 * the payload length on decode.
 */
public record DeletePayload1(int doi, int protocolId, int spiSize, List<byte[]> spis) implements V1Payload {
    public DeletePayload1 {
        V1Wire.checkU8(protocolId, "delete protocol id");
        V1Wire.checkU8(spiSize, "delete SPI size");
        List<byte[]> copies = new ArrayList<>(spis.size());
        for (byte[] spi : spis) {
            if (spi.length != spiSize) {
                throw new IllegalArgumentException("SPI of " + spi.length + " bytes in a delete of " + spiSize + "-byte SPIs");
            }
            copies.add(spi.clone());
        }
        spis = List.copyOf(copies);
        V1Wire.checkU16(spis.size(), "number of SPIs");
    }

    /** Deletes an ISAKMP SA (RFC 2408 3.15: SPI = initiator and responder cookies). */
    public static DeletePayload1 isakmp(long initiatorCookie, long responderCookie) {
        byte[] spi = ByteBuffer.allocate(16).putLong(initiatorCookie).putLong(responderCookie).array();
        return new DeletePayload1(SaPayload1.DOI_IPSEC, ProposalPayload1.PROTO_ISAKMP, 16, List.of(spi));
    }

    /** Deletes IPsec SAs of a protocol (ESP or AH) by their 4-octet inbound SPIs. */
    public static DeletePayload1 ipsec(int protocolId, int... spis) {
        List<byte[]> list = new ArrayList<>();
        for (int spi : spis) {
            list.add(ByteBuffer.allocate(4).putInt(spi).array());
        }
        return new DeletePayload1(SaPayload1.DOI_IPSEC, protocolId, 4, list);
    }

    public static DeletePayload1 decode(ByteBuffer body) throws V1ParseException {
        int doi = V1Wire.u32(body, "delete DOI");
        int protocol = V1Wire.u8(body, "delete protocol id");
        int spiSize = V1Wire.u8(body, "delete SPI size");
        int count = V1Wire.u16(body, "delete number of SPIs");
        if (spiSize == 0 && count > 0) {
            throw new V1ParseException(Reason.BAD_VALUE, "delete of " + count + " SPIs of size 0");
        }
        if ((long) count * spiSize != body.remaining()) {
            throw new V1ParseException(Reason.BAD_LENGTH, "delete announces " + count + " SPIs of " + spiSize
                    + " bytes, has " + body.remaining() + " bytes");
        }
        List<byte[]> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(V1Wire.bytes(body, spiSize, "delete SPI"));
        }
        return new DeletePayload1(doi, protocol, spiSize, spis);
    }

    @Override
    public List<byte[]> spis() {
        List<byte[]> copies = new ArrayList<>(spis.size());
        for (byte[] spi : spis) {
            copies.add(spi.clone());
        }
        return copies;
    }

    /** The SPIs as unsigned 32-bit values, for 4-octet SPIs; empty otherwise. */
    public List<Long> spis32() {
        if (spiSize != 4) {
            return List.of();
        }
        return spis.stream().map(s -> ByteBuffer.wrap(s).getInt() & 0xffffffffL).toList();
    }

    @Override
    public int type() {
        return V1PayloadType.DELETE;
    }

    @Override
    public int bodyLength() {
        return 8 + spiSize * spis.size();
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        V1Wire.putU32(out, doi);
        V1Wire.putU8(out, protocolId);
        V1Wire.putU8(out, spiSize);
        V1Wire.putU16(out, spis.size());
        for (byte[] spi : spis) {
            out.put(spi);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeletePayload1 p) || p.doi != doi || p.protocolId != protocolId || p.spiSize != spiSize
                || p.spis.size() != spis.size()) {
            return false;
        }
        for (int i = 0; i < spis.size(); i++) {
            if (!Arrays.equals(p.spis.get(i), spis.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * doi + protocolId) + spiSize;
        for (byte[] spi : spis) {
            h = 31 * h + Arrays.hashCode(spi);
        }
        return h;
    }

    @Override
    public String toString() {
        return "D(protocol " + protocolId + ", " + spis.stream().map(V1Wire::hex).toList() + ")";
    }
}
