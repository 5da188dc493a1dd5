package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/** Notify payload (RFC 7296 3.10): protocol id, optional SPI, notify type and its data. */
public record NotifyPayload(int protocolId, byte[] spi, int notifyType, byte[] data) implements Payload {
    public NotifyPayload {
        Wire.checkU8(protocolId, "protocol id");
        spi = Wire.copy(spi);
        Wire.checkU8(spi.length, "SPI size");
        Wire.checkU16(notifyType, "notify type");
        data = Wire.copy(data);
    }

    /** A notification about the IKE SA itself: protocol 0, no SPI. */
    public static NotifyPayload of(int notifyType, byte[] data) {
        return new NotifyPayload(0, new byte[0], notifyType, data);
    }

    public static NotifyPayload of(int notifyType) {
        return of(notifyType, new byte[0]);
    }

    /** INVALID_KE_PAYLOAD carrying the group the responder wants (RFC 7296 1.3). */
    public static NotifyPayload invalidKePayload(int acceptedGroup) {
        Wire.checkU16(acceptedGroup, "DH group");
        return of(NotifyType.INVALID_KE_PAYLOAD, new byte[] {(byte) (acceptedGroup >>> 8), (byte) acceptedGroup});
    }

    /** SIGNATURE_HASH_ALGORITHMS (RFC 7427 4) listing the given hash algorithm numbers. */
    public static NotifyPayload signatureHashAlgorithms(int... hashAlgorithms) {
        ByteBuffer out = ByteBuffer.allocate(2 * hashAlgorithms.length);
        for (int algorithm : hashAlgorithms) {
            Wire.checkU16(algorithm, "hash algorithm");
            Wire.putU16(out, algorithm);
        }
        return of(NotifyType.SIGNATURE_HASH_ALGORITHMS, out.array());
    }

    public static NotifyPayload decode(ByteBuffer body) throws InvalidMessageException {
        int protocol = Wire.u8(body, "N protocol id");
        int spiSize = Wire.u8(body, "N SPI size");
        int type = Wire.u16(body, "N type");
        byte[] spi = Wire.bytes(body, spiSize, "N SPI");
        return new NotifyPayload(protocol, spi, type, Wire.rest(body));
    }

    public boolean isError() {
        return NotifyType.isError(notifyType);
    }

    /** For INVALID_KE_PAYLOAD, the 2-octet DH group the responder asked for. */
    public OptionalInt invalidKeGroup() {
        if (notifyType != NotifyType.INVALID_KE_PAYLOAD || data.length != 2) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(((data[0] & 0xff) << 8) | (data[1] & 0xff));
    }

    /** For SIGNATURE_HASH_ALGORITHMS, the list of 2-octet hash algorithm numbers. */
    public List<Integer> hashAlgorithms() throws InvalidMessageException {
        if (notifyType != NotifyType.SIGNATURE_HASH_ALGORITHMS) {
            return List.of();
        }
        if (data.length % 2 != 0) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "SIGNATURE_HASH_ALGORITHMS data of odd length " + data.length);
        }
        List<Integer> algorithms = new ArrayList<>();
        for (int i = 0; i < data.length; i += 2) {
            algorithms.add(((data[i] & 0xff) << 8) | (data[i + 1] & 0xff));
        }
        return List.copyOf(algorithms);
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return PayloadType.NOTIFY;
    }

    @Override
    public int bodyLength() {
        return 4 + spi.length + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU8(out, protocolId);
        Wire.putU8(out, spi.length);
        Wire.putU16(out, notifyType);
        out.put(spi);
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotifyPayload p && p.protocolId == protocolId && p.notifyType == notifyType
                && Arrays.equals(p.spi, spi) && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * notifyType + protocolId) + Arrays.hashCode(spi) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "N(" + NotifyType.name(notifyType) + (spi.length > 0 ? ", spi " + Wire.hex(spi) : "")
                + (data.length > 0 ? ", " + data.length + " bytes" : "") + ")";
    }
}
