package io.causeway.ike.v2.message;

import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * TS_IPV4_ADDR_RANGE / TS_IPV6_ADDR_RANGE (RFC 7296 3.13.1): IP protocol (0 = any), inclusive port
 * range and inclusive address range. Addresses are kept as their 4 or 16 octets.
 */
public record AddressRangeSelector(int ipProtocolId, int startPort, int endPort, byte[] startAddress, byte[] endAddress)
        implements TrafficSelector {
    public static final int ANY_PROTOCOL = 0;

    public AddressRangeSelector {
        Wire.checkU8(ipProtocolId, "IP protocol");
        Wire.checkU16(startPort, "start port");
        Wire.checkU16(endPort, "end port");
        startAddress = Wire.copy(startAddress);
        endAddress = Wire.copy(endAddress);
        if ((startAddress.length != 4 && startAddress.length != 16) || startAddress.length != endAddress.length) {
            throw new IllegalArgumentException("addresses of " + startAddress.length + " and " + endAddress.length
                    + " octets; both must be 4 (IPv4) or both 16 (IPv6)");
        }
    }

    /** All ports and protocols of one CIDR prefix. */
    public static AddressRangeSelector ofPrefix(InetAddress network, int prefixLength) {
        return of(Subnet.of(network, prefixLength));
    }

    /** The range a configured subnet (CIDR plus optional protocol/port) covers. */
    public static AddressRangeSelector of(Subnet subnet) {
        byte[] start = subnet.address().getAddress();
        byte[] end = start.clone();
        for (int i = 0; i < end.length; i++) {
            int kept = Math.max(0, Math.min(8, subnet.prefixLength() - 8 * i)); // bits of this octet inside the prefix
            end[i] |= (byte) (0xff >>> kept);
        }
        return new AddressRangeSelector(subnet.protocol(), subnet.fromPort(), subnet.toPort(), start, end);
    }

    static AddressRangeSelector decodeBody(int protocol, int addressLength, ByteBuffer body) throws InvalidMessageException {
        if (body.remaining() != 4 + 2 * addressLength) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "address range selector body of " + body.remaining()
                    + " bytes, expected " + (4 + 2 * addressLength));
        }
        int startPort = Wire.u16(body, "TS start port");
        int endPort = Wire.u16(body, "TS end port");
        byte[] start = Wire.bytes(body, addressLength, "TS start address");
        byte[] end = Wire.bytes(body, addressLength, "TS end address");
        return new AddressRangeSelector(protocol, startPort, endPort, start, end);
    }

    @Override
    public int tsType() {
        return startAddress.length == 4 ? TS_IPV4_ADDR_RANGE : TS_IPV6_ADDR_RANGE;
    }

    public boolean isIpv4() {
        return startAddress.length == 4;
    }

    public InetAddress start() {
        return address(startAddress);
    }

    public InetAddress end() {
        return address(endAddress);
    }

    /** Start above end (addresses or ports): such a selector selects nothing. */
    public boolean isEmpty() {
        return new BigInteger(1, startAddress).compareTo(new BigInteger(1, endAddress)) > 0 || startPort > endPort;
    }

    /** The subnet this range is exactly, if it is one CIDR prefix (ports and protocol carried along). */
    public Optional<Subnet> asPrefix() {
        if (isEmpty()) {
            return Optional.empty();
        }
        BigInteger start = new BigInteger(1, startAddress);
        BigInteger span = start.xor(new BigInteger(1, endAddress));
        // a prefix: start..end differ exactly in a block of low-order bits that are 0 in start and 1 in end
        if (span.add(BigInteger.ONE).bitCount() != 1 || start.and(span).signum() != 0) {
            return Optional.empty();
        }
        int prefix = startAddress.length * 8 - span.bitLength();
        return Optional.of(new Subnet(start(), prefix, ipProtocolId, startPort, endPort));
    }

    /** The fewest CIDR prefixes that together cover exactly this range (ports and protocol carried along). */
    public List<Subnet> toPrefixes() {
        List<Subnet> out = new ArrayList<>();
        if (isEmpty()) {
            return out;
        }
        int bits = startAddress.length * 8;
        BigInteger cursor = new BigInteger(1, startAddress);
        BigInteger end = new BigInteger(1, endAddress);
        while (cursor.compareTo(end) <= 0) {
            // the largest block that starts at cursor (its alignment) and still ends at or before end
            int alignment = cursor.signum() == 0 ? bits : Math.min(cursor.getLowestSetBit(), bits);
            int fits = end.subtract(cursor).add(BigInteger.ONE).bitLength() - 1;
            int hostBits = Math.min(alignment, fits);
            out.add(new Subnet(address(toOctets(cursor, startAddress.length)), bits - hostBits, ipProtocolId, startPort, endPort));
            cursor = cursor.add(BigInteger.ONE.shiftLeft(hostBits));
        }
        return out;
    }

    private static byte[] toOctets(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /** Of the family the selector's type says, also for an IPv4-mapped IPv6 address (see IpLiteral.byAddress). */
    private static InetAddress address(byte[] octets) {
        return IpLiteral.byAddress(octets);
    }

    @Override
    public int encodedLength() {
        return 8 + 2 * startAddress.length;
    }

    @Override
    public void encode(ByteBuffer out) {
        Wire.putU8(out, tsType());
        Wire.putU8(out, ipProtocolId);
        Wire.putU16(out, encodedLength());
        Wire.putU16(out, startPort);
        Wire.putU16(out, endPort);
        out.put(startAddress);
        out.put(endAddress);
    }

    @Override
    public byte[] startAddress() {
        return startAddress.clone();
    }

    @Override
    public byte[] endAddress() {
        return endAddress.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRangeSelector s && s.ipProtocolId == ipProtocolId && s.startPort == startPort
                && s.endPort == endPort && Arrays.equals(s.startAddress, startAddress) && Arrays.equals(s.endAddress, endAddress);
    }

    @Override
    public int hashCode() {
        return ((31 * ipProtocolId + startPort) * 31 + endPort) * 31 + Arrays.hashCode(startAddress) * 17
                + Arrays.hashCode(endAddress);
    }

    @Override
    public String toString() {
        String range = asPrefix().map(s -> IpLiteral.format(s.address()) + "/" + s.prefixLength())
                .orElseGet(() -> IpLiteral.format(start()) + "-" + IpLiteral.format(end()));
        boolean anyPorts = startPort == 0 && endPort == 65535;
        return range + (ipProtocolId == 0 && anyPorts ? "" : "[" + ipProtocolId + "/" + startPort + "-" + endPort + "]");
    }
}
