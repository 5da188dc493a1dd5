package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Notification payload (RFC 2408 3.14): DOI, protocol, SPI, notify message type and data. Error types
 * 1..30 are RFC 2408 3.14.1, CONNECTED is 3.14.2, the IPsec DOI status types RFC 2407 4.6.3, and the
 * DPD messages RFC 3706 (data: a 4-octet sequence number; SPI: both cookies).
 */
public record NotifyPayload1(int doi, int protocolId, byte[] spi, int notifyType, byte[] data) implements V1Payload {
    public static final int INVALID_PAYLOAD_TYPE = 1;
    public static final int DOI_NOT_SUPPORTED = 2;
    public static final int SITUATION_NOT_SUPPORTED = 3;
    public static final int INVALID_COOKIE = 4;
    public static final int INVALID_MAJOR_VERSION = 5;
    public static final int INVALID_MINOR_VERSION = 6;
    public static final int INVALID_EXCHANGE_TYPE = 7;
    public static final int INVALID_FLAGS = 8;
    public static final int INVALID_MESSAGE_ID = 9;
    public static final int INVALID_PROTOCOL_ID = 10;
    public static final int INVALID_SPI = 11;
    public static final int INVALID_TRANSFORM_ID = 12;
    public static final int ATTRIBUTES_NOT_SUPPORTED = 13;
    public static final int NO_PROPOSAL_CHOSEN = 14;
    public static final int BAD_PROPOSAL_SYNTAX = 15;
    public static final int PAYLOAD_MALFORMED = 16;
    public static final int INVALID_KEY_INFORMATION = 17;
    public static final int INVALID_ID_INFORMATION = 18;
    public static final int INVALID_CERT_ENCODING = 19;
    public static final int INVALID_CERTIFICATE = 20;
    public static final int CERT_TYPE_UNSUPPORTED = 21;
    public static final int INVALID_CERT_AUTHORITY = 22;
    public static final int INVALID_HASH_INFORMATION = 23;
    public static final int AUTHENTICATION_FAILED = 24;
    public static final int INVALID_SIGNATURE = 25;
    public static final int ADDRESS_NOTIFICATION = 26;
    public static final int NOTIFY_SA_LIFETIME = 27;
    public static final int CERTIFICATE_UNAVAILABLE = 28;
    public static final int UNSUPPORTED_EXCHANGE_TYPE = 29;
    public static final int UNEQUAL_PAYLOAD_LENGTHS = 30;
    public static final int CONNECTED = 16384;
    public static final int RESPONDER_LIFETIME = 24576;
    public static final int REPLAY_STATUS = 24577;
    public static final int INITIAL_CONTACT = 24578;
    public static final int R_U_THERE = 36136;
    public static final int R_U_THERE_ACK = 36137;

    private static final String[] ERROR_NAMES = {null, "INVALID_PAYLOAD_TYPE", "DOI_NOT_SUPPORTED",
        "SITUATION_NOT_SUPPORTED", "INVALID_COOKIE", "INVALID_MAJOR_VERSION", "INVALID_MINOR_VERSION",
        "INVALID_EXCHANGE_TYPE", "INVALID_FLAGS", "INVALID_MESSAGE_ID", "INVALID_PROTOCOL_ID", "INVALID_SPI",
        "INVALID_TRANSFORM_ID", "ATTRIBUTES_NOT_SUPPORTED", "NO_PROPOSAL_CHOSEN", "BAD_PROPOSAL_SYNTAX",
        "PAYLOAD_MALFORMED", "INVALID_KEY_INFORMATION", "INVALID_ID_INFORMATION", "INVALID_CERT_ENCODING",
        "INVALID_CERTIFICATE", "CERT_TYPE_UNSUPPORTED", "INVALID_CERT_AUTHORITY", "INVALID_HASH_INFORMATION",
        "AUTHENTICATION_FAILED", "INVALID_SIGNATURE", "ADDRESS_NOTIFICATION", "NOTIFY_SA_LIFETIME",
        "CERTIFICATE_UNAVAILABLE", "UNSUPPORTED_EXCHANGE_TYPE", "UNEQUAL_PAYLOAD_LENGTHS"};

    public NotifyPayload1 {
        V1Wire.checkU8(protocolId, "notify protocol id");
        spi = V1Wire.copy(spi);
        V1Wire.checkU8(spi.length, "notify SPI size");
        V1Wire.checkU16(notifyType, "notify message type");
        data = V1Wire.copy(data);
    }

    /** An IPsec DOI notification. */
    public static NotifyPayload1 of(int protocolId, byte[] spi, int notifyType, byte[] data) {
        return new NotifyPayload1(SaPayload1.DOI_IPSEC, protocolId, spi, notifyType, data);
    }

    /** A DPD R-U-THERE or R-U-THERE-ACK (RFC 3706 5): ISAKMP protocol, SPI = both cookies, the sequence number as data. */
    public static NotifyPayload1 dpd(int notifyType, byte[] cookies, int sequence) {
        return of(ProposalPayload1.PROTO_ISAKMP, cookies, notifyType, ByteBuffer.allocate(4).putInt(sequence).array());
    }

    public static NotifyPayload1 decode(ByteBuffer body) throws V1ParseException {
        int doi = V1Wire.u32(body, "notify DOI");
        int protocol = V1Wire.u8(body, "notify protocol id");
        int spiSize = V1Wire.u8(body, "notify SPI size");
        int type = V1Wire.u16(body, "notify message type");
        byte[] spi = V1Wire.bytes(body, spiSize, "notify SPI");
        return new NotifyPayload1(doi, protocol, spi, type, V1Wire.rest(body));
    }

    /** Error types are 1..16383 (RFC 2408 3.14.1). */
    public boolean isError() {
        return notifyType > 0 && notifyType < CONNECTED;
    }

    /** E.g. "INVALID_ID_INFORMATION"; unknown types are "NOTIFY(n)". */
    public static String name(int type) {
        if (type > 0 && type < ERROR_NAMES.length) {
            return ERROR_NAMES[type];
        }
        return switch (type) {
            case CONNECTED -> "CONNECTED";
            case RESPONDER_LIFETIME -> "RESPONDER_LIFETIME";
            case REPLAY_STATUS -> "REPLAY_STATUS";
            case INITIAL_CONTACT -> "INITIAL_CONTACT";
            case R_U_THERE -> "R_U_THERE";
            case R_U_THERE_ACK -> "R_U_THERE_ACK";
            default -> "NOTIFY(" + type + ")";
        };
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
        return V1PayloadType.NOTIFY;
    }

    @Override
    public int bodyLength() {
        return 8 + spi.length + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        V1Wire.putU32(out, doi);
        V1Wire.putU8(out, protocolId);
        V1Wire.putU8(out, spi.length);
        V1Wire.putU16(out, notifyType);
        out.put(spi);
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotifyPayload1 p && p.doi == doi && p.protocolId == protocolId && p.notifyType == notifyType
                && Arrays.equals(p.spi, spi) && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * doi + protocolId) + notifyType + Arrays.hashCode(spi) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "N(" + name(notifyType) + (spi.length > 0 ? ", spi " + V1Wire.hex(spi) : "")
                + (data.length > 0 ? ", " + data.length + " bytes" : "") + ")";
    }
}
