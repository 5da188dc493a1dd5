package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Delete payload (RFC 7296 3.11): the IKE SA itself (protocol 1, no SPIs) or CHILD SAs by their inbound SPIs. */
public record DeletePayload(int protocolId, int spiSize, List<byte[]> spis) implements Payload {
    public DeletePayload {
        Wire.checkU8(protocolId, "protocol id");
        Wire.checkU8(spiSize, "SPI size");
        List<byte[]> copies = new ArrayList<>();
        for (byte[] spi : spis) {
            if (spi.length != spiSize) {
                throw new IllegalArgumentException("SPI of " + spi.length + " bytes in a delete of SPI size " + spiSize);
            }
            copies.add(spi.clone());
        }
        Wire.checkU16(copies.size(), "number of SPIs");
        spis = List.copyOf(copies);
    }

    /** Deletes the IKE SA the message is protected by. */
    public static DeletePayload ikeSa() {
        return new DeletePayload(SaProposal.PROTOCOL_IKE, 0, List.of());
    }

    /** Deletes ESP SAs, given the SPIs the sender receives on. */
    public static DeletePayload esp(int... spis) {
        List<byte[]> list = new ArrayList<>();
        for (int spi : spis) {
            list.add(ByteBuffer.allocate(4).putInt(spi).array());
        }
        return new DeletePayload(SaProposal.PROTOCOL_ESP, 4, list);
    }

    public static DeletePayload decode(ByteBuffer body) throws InvalidMessageException {
        int protocol = Wire.u8(body, "D protocol id");
        int spiSize = Wire.u8(body, "D SPI size");
        int count = Wire.u16(body, "D number of SPIs");
        if ((long) spiSize * count != body.remaining()) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "delete announces " + count + " SPIs of " + spiSize
                    + " bytes but carries " + body.remaining() + " bytes");
        }
        List<byte[]> spis = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            spis.add(Wire.bytes(body, spiSize, "D SPI"));
        }
        return new DeletePayload(protocol, spiSize, spis);
    }

    /** The SPIs as 32-bit values, for ESP and AH deletes. */
    public int[] spisAsInts() {
        if (spiSize != 4) {
            throw new IllegalStateException("SPI size is " + spiSize + ", not 4");
        }
        return spis.stream().mapToInt(s -> ByteBuffer.wrap(s).getInt()).toArray();
    }

    @Override
    public List<byte[]> spis() {
        return spis.stream().map(byte[]::clone).toList();
    }

    @Override
    public int type() {
        return PayloadType.DELETE;
    }

    @Override
    public int bodyLength() {
        return 4 + spiSize * spis.size();
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU8(out, protocolId);
        Wire.putU8(out, spiSize);
        Wire.putU16(out, spis.size());
        spis.forEach(out::put);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeletePayload p) || p.protocolId != protocolId || p.spiSize != spiSize || p.spis.size() != spis.size()) {
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
        int h = 31 * protocolId + spiSize;
        for (byte[] spi : spis) {
            h = 31 * h + Arrays.hashCode(spi);
        }
        return h;
    }

    @Override
    public String toString() {
        return "D[protocol " + protocolId + ", " + spis.stream().map(Wire::hex).toList() + "]";
    }
}
