package io.causeway.ike.v2.message;

import io.causeway.conf.net.IdType;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Identification payload IDi/IDr (RFC 7296 3.5). The three reserved octets are kept as received,
 * because AUTH is computed over the exact body ({@link #body()}, RFC 7296 2.15 "RestOfInitIDPayload").
 */
public record IdPayload(boolean initiator, int idType, int reserved, byte[] data) implements Payload {
    public static final int ID_IPV4_ADDR = 1;
    public static final int ID_FQDN = 2;
    public static final int ID_RFC822_ADDR = 3;
    public static final int ID_IPV6_ADDR = 5;
    public static final int ID_DER_ASN1_DN = 9;
    public static final int ID_DER_ASN1_GN = 10;
    public static final int ID_KEY_ID = 11;

    public IdPayload {
        Wire.checkU8(idType, "ID type");
        if (reserved < 0 || reserved > 0xffffff) {
            throw new IllegalArgumentException("reserved " + reserved + " does not fit three octets");
        }
        data = Wire.copy(data);
    }

    public static IdPayload of(boolean initiator, int idType, byte[] data) {
        return new IdPayload(initiator, idType, 0, data);
    }

    /** The wire form of a configured identity; ANY cannot be sent. */
    public static IdPayload of(boolean initiator, Identity identity) {
        byte[] data = switch (identity.type()) {
            case IPV4_ADDR, IPV6_ADDR -> IpLiteral.parse(identity.value())
                    .orElseThrow(() -> new IllegalArgumentException("not an address: " + identity.value())).getAddress();
            case FQDN, RFC822_ADDR -> identity.value().getBytes(StandardCharsets.US_ASCII);
            case KEY_ID -> HexFormat.of().parseHex(identity.value());
            case ANY -> throw new IllegalArgumentException("%any is not an identity that can be sent");
        };
        return of(initiator, identity.type().ianaId(), data);
    }

    public static IdPayload decode(boolean initiator, ByteBuffer body) throws InvalidMessageException {
        int type = Wire.u8(body, "ID type");
        int reserved = Wire.u24(body, "ID reserved");
        return new IdPayload(initiator, type, reserved, Wire.rest(body));
    }

    /** The identity as configuration spells it, when the type is one PSK authentication uses and the data fits it. */
    public Optional<Identity> toIdentity() {
        try {
            return switch (idType) {
                case ID_IPV4_ADDR -> data.length == 4 ? Optional.of(Identity.of(InetAddress.getByAddress(data))) : Optional.empty();
                case ID_IPV6_ADDR -> data.length == 16 ? Optional.of(Identity.of(InetAddress.getByAddress(data))) : Optional.empty();
                case ID_FQDN -> Optional.of(new Identity(IdType.FQDN, new String(data, StandardCharsets.US_ASCII)));
                case ID_RFC822_ADDR -> Optional.of(new Identity(IdType.RFC822_ADDR, new String(data, StandardCharsets.US_ASCII)));
                case ID_KEY_ID -> Optional.of(new Identity(IdType.KEY_ID, HexFormat.of().formatHex(data)));
                default -> Optional.empty();
            };
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The payload body after the generic header: ID type, reserved octets, data; the input to AUTH's prf(SK_p, ...). */
    public byte[] body() {
        ByteBuffer out = ByteBuffer.allocate(bodyLength());
        encodeBody(out);
        return out.array();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return initiator ? PayloadType.IDI : PayloadType.IDR;
    }

    @Override
    public int bodyLength() {
        return 4 + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU8(out, idType);
        Wire.putU24(out, reserved);
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdPayload p && p.initiator == initiator && p.idType == idType && p.reserved == reserved
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * idType + reserved) + Arrays.hashCode(data) + (initiator ? 1 : 0);
    }

    @Override
    public String toString() {
        return (initiator ? "IDi" : "IDr") + "[type " + idType + ", "
                + toIdentity().map(Identity::toString).orElse(data.length + " bytes") + "]";
    }
}
