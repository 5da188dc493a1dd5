package io.causeway.ike.v1.message;

import io.causeway.conf.net.Subnet;
import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Identification payload in the IPsec DOI (RFC 2407 4.6.2): id type, protocol id, port and the
 * identification data. Phase 1 carries the peer identity (IDii/IDir), quick mode the traffic
 * selectors (IDci/IDcr). Address types have fixed data lengths, checked on decode and construction.
 */
public record IdPayload1(int idType, int protocolId, int port, byte[] data) implements V1Payload {
    public static final int ID_IPV4_ADDR = 1;
    public static final int ID_FQDN = 2;
    public static final int ID_USER_FQDN = 3;
    public static final int ID_IPV4_ADDR_SUBNET = 4;
    public static final int ID_IPV6_ADDR = 5;
    public static final int ID_IPV6_ADDR_SUBNET = 6;
    public static final int ID_IPV4_ADDR_RANGE = 7;
    public static final int ID_IPV6_ADDR_RANGE = 8;
    public static final int ID_DER_ASN1_DN = 9;
    public static final int ID_DER_ASN1_GN = 10;
    public static final int ID_KEY_ID = 11;

    public IdPayload1 {
        V1Wire.checkU8(idType, "id type");
        V1Wire.checkU8(protocolId, "id protocol");
        V1Wire.checkU16(port, "id port");
        data = V1Wire.copy(data);
        int expected = fixedLength(idType);
        if (expected >= 0 && data.length != expected) {
            throw new IllegalArgumentException(typeName(idType) + " data of " + data.length + " bytes, must be " + expected);
        }
    }

    /** The data length an id type requires, or -1 for variable-length types (names, DNs, key ids, unknown types). */
    public static int fixedLength(int idType) {
        return switch (idType) {
            case ID_IPV4_ADDR -> 4;
            case ID_IPV4_ADDR_SUBNET, ID_IPV4_ADDR_RANGE -> 8;
            case ID_IPV6_ADDR -> 16;
            case ID_IPV6_ADDR_SUBNET, ID_IPV6_ADDR_RANGE -> 32;
            default -> -1;
        };
    }

    public static IdPayload1 decode(ByteBuffer body) throws V1ParseException {
        int type = V1Wire.u8(body, "ID type");
        int protocol = V1Wire.u8(body, "ID protocol id");
        int port = V1Wire.u16(body, "ID port");
        int expected = fixedLength(type);
        if (expected >= 0 && body.remaining() != expected) {
            throw new V1ParseException(Reason.BAD_LENGTH, typeName(type) + " data of " + body.remaining()
                    + " bytes, must be " + expected);
        }
        return new IdPayload1(type, protocol, port, V1Wire.rest(body));
    }

    /**
     * A quick mode selector for a subnet with the given protocol and port (0 = any): a /32 or /128
     * becomes ID_IPV4_ADDR / ID_IPV6_ADDR, as strongSwan sends host selectors; other prefixes become
     * ID_IPVx_ADDR_SUBNET with the prefix as a netmask. The subnet's own protocol and port range are not
     * used: an ID payload holds one protocol and one port, given here.
     */
    public static IdPayload1 ofSubnet(Subnet subnet, int protocol, int port) {
        byte[] address = subnet.address().getAddress();
        boolean v4 = address.length == 4;
        if (subnet.prefixLength() == address.length * 8) {
            return new IdPayload1(v4 ? ID_IPV4_ADDR : ID_IPV6_ADDR, protocol, port, address);
        }
        byte[] data = Arrays.copyOf(address, address.length * 2);
        for (int i = 0; i < subnet.prefixLength(); i++) {
            data[address.length + i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return new IdPayload1(v4 ? ID_IPV4_ADDR_SUBNET : ID_IPV6_ADDR_SUBNET, protocol, port, data);
    }

    /** A phase-1 identity of an address, protocol and port 0. */
    public static IdPayload1 ofAddress(InetAddress address) {
        byte[] a = address.getAddress();
        return new IdPayload1(a.length == 4 ? ID_IPV4_ADDR : ID_IPV6_ADDR, 0, 0, a);
    }

    /** A phase-1 identity of type ID_FQDN, ID_USER_FQDN or ID_KEY_ID from text, protocol and port 0. */
    public static IdPayload1 ofText(int idType, String text) {
        return new IdPayload1(idType, 0, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The selector as a subnet with this payload's protocol (0 = any) and port (0 = any port):
     * an address is a host subnet, a subnet's netmask becomes a prefix length, a range that is exactly
     * one CIDR block becomes that block. Empty for non-address types, non-contiguous masks, ranges that
     * are not one CIDR block, and IPv4-mapped IPv6 data.
     */
    public Optional<Subnet> asSubnet() {
        int bytes;
        switch (idType) {
            case ID_IPV4_ADDR, ID_IPV4_ADDR_SUBNET, ID_IPV4_ADDR_RANGE -> bytes = 4;
            case ID_IPV6_ADDR, ID_IPV6_ADDR_SUBNET, ID_IPV6_ADDR_RANGE -> bytes = 16;
            default -> {
                return Optional.empty();
            }
        }
        byte[] first = Arrays.copyOf(data, bytes);
        Optional<InetAddress> address = address(first);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int prefix;
        if (idType == ID_IPV4_ADDR || idType == ID_IPV6_ADDR) {
            prefix = bytes * 8;
        } else if (idType == ID_IPV4_ADDR_SUBNET || idType == ID_IPV6_ADDR_SUBNET) {
            prefix = prefixOfMask(Arrays.copyOfRange(data, bytes, 2 * bytes));
        } else {
            prefix = prefixOfRange(first, Arrays.copyOfRange(data, bytes, 2 * bytes));
        }
        if (prefix < 0) {
            return Optional.empty();
        }
        int from = port == 0 ? 0 : port;
        int to = port == 0 ? 65535 : port;
        return Optional.of(new Subnet(address.get(), prefix, protocolId, from, to));
    }

    /** Blocks a range may split into before {@link #asSubnets()} refuses it (a /0 range of IPv6 needs 2 x 128). */
    public static final int MAX_RANGE_BLOCKS = 64;

    /**
     * The selector as CIDR blocks: one for an address or subnet, and for a range (RFC 2407 4.6.2.7) the smallest
     * set of blocks that covers exactly the range, in address order; empty when it is not an address type, a
     * range is reversed, or it needs more than {@link #MAX_RANGE_BLOCKS} blocks.
     */
    public List<Subnet> asSubnets() {
        if (idType != ID_IPV4_ADDR_RANGE && idType != ID_IPV6_ADDR_RANGE) {
            return asSubnet().map(List::of).orElse(List.of());
        }
        int bytes = idType == ID_IPV4_ADDR_RANGE ? 4 : 16;
        if (data.length != 2 * bytes) {
            return List.of();
        }
        java.math.BigInteger start = new java.math.BigInteger(1, Arrays.copyOf(data, bytes));
        java.math.BigInteger end = new java.math.BigInteger(1, Arrays.copyOfRange(data, bytes, 2 * bytes));
        if (start.compareTo(end) > 0) {
            return List.of();
        }
        int bits = bytes * 8;
        int from = port == 0 ? 0 : port;
        int to = port == 0 ? 65535 : port;
        List<Subnet> out = new java.util.ArrayList<>();
        while (start.compareTo(end) <= 0) {
            int size = start.signum() == 0 ? bits : start.getLowestSetBit(); // the largest aligned block at start
            while (size > 0 && start.add(java.math.BigInteger.ONE.shiftLeft(size)).subtract(java.math.BigInteger.ONE)
                    .compareTo(end) > 0) {
                size--;
            }
            if (out.size() == MAX_RANGE_BLOCKS) {
                return List.of();
            }
            Optional<InetAddress> a = address(fixed(start, bytes));
            if (a.isEmpty()) {
                return List.of();
            }
            out.add(new Subnet(a.get(), bits - size, protocolId, from, to));
            start = start.add(java.math.BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    private static byte[] fixed(java.math.BigInteger value, int bytes) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        return out;
    }

    /** The identity as text for FQDN, USER_FQDN and KEY_ID (as sent; not validated), empty otherwise. */
    public Optional<String> text() {
        return idType == ID_FQDN || idType == ID_USER_FQDN || idType == ID_KEY_ID
                ? Optional.of(new String(data, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private static Optional<InetAddress> address(byte[] bytes) {
        try {
            if (bytes.length == 4) {
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            boolean mapped = true;
            for (int i = 0; i < 12; i++) {
                mapped &= bytes[i] == (i < 10 ? 0 : (byte) 0xff);
            }
            return mapped ? Optional.empty() : Optional.of(Inet6Address.getByAddress(null, bytes, -1));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static int prefixOfMask(byte[] mask) {
        int prefix = 0;
        while (prefix < mask.length * 8 && (mask[prefix / 8] & (0x80 >>> (prefix % 8))) != 0) {
            prefix++;
        }
        for (int i = prefix; i < mask.length * 8; i++) {
            if ((mask[i / 8] & (0x80 >>> (i % 8))) != 0) {
                return -1;
            }
        }
        return prefix;
    }

    private static int prefixOfRange(byte[] start, byte[] end) {
        BigInteger s = new BigInteger(1, start);
        BigInteger size = new BigInteger(1, end).subtract(s).add(BigInteger.ONE);
        if (size.signum() <= 0 || size.bitCount() != 1) {
            return -1;
        }
        int hostBits = size.bitLength() - 1;
        if (s.getLowestSetBit() >= 0 && s.getLowestSetBit() < hostBits) {
            return -1;
        }
        return start.length * 8 - hostBits;
    }

    public static String typeName(int idType) {
        return switch (idType) {
            case ID_IPV4_ADDR -> "ID_IPV4_ADDR";
            case ID_FQDN -> "ID_FQDN";
            case ID_USER_FQDN -> "ID_USER_FQDN";
            case ID_IPV4_ADDR_SUBNET -> "ID_IPV4_ADDR_SUBNET";
            case ID_IPV6_ADDR -> "ID_IPV6_ADDR";
            case ID_IPV6_ADDR_SUBNET -> "ID_IPV6_ADDR_SUBNET";
            case ID_IPV4_ADDR_RANGE -> "ID_IPV4_ADDR_RANGE";
            case ID_IPV6_ADDR_RANGE -> "ID_IPV6_ADDR_RANGE";
            case ID_DER_ASN1_DN -> "ID_DER_ASN1_DN";
            case ID_DER_ASN1_GN -> "ID_DER_ASN1_GN";
            case ID_KEY_ID -> "ID_KEY_ID";
            default -> "ID(" + idType + ")";
        };
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return V1PayloadType.ID;
    }

    @Override
    public int bodyLength() {
        return 4 + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        V1Wire.putU8(out, idType);
        V1Wire.putU8(out, protocolId);
        V1Wire.putU16(out, port);
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdPayload1 p && p.idType == idType && p.protocolId == protocolId && p.port == port
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * idType + protocolId) + port) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String value = text().orElseGet(() -> asSubnet().map(Subnet::toString).orElse(data.length + " bytes"));
        String proto = protocolId == 0 && port == 0 ? "" : " " + protocolId + "/" + port;
        return "ID(" + typeName(idType) + " " + value + proto + ")";
    }
}
