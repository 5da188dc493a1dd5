package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.offload.Checksum;
import io.causeway.esp.policy.SelectorCheck;
import io.causeway.esp.policy.TrafficSelector;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
  * The header a transport-mode payload gets back, and the checksum repair behind a NAT.
  *
  * <p>Checksum vectors: segments built and checksummed by an independent RFC 1071 implementation
  * (a 25-line Python script, struct.unpack over 16-bit words with a pseudo-header per RFC 793 /
  * RFC 768 / RFC 8200 8.1), written into a pcap and confirmed "[Checksum Status: Good]" by
  * tshark 4's TCP, UDP and ICMPv6 dissectors (ip.check_checksum also confirmed the IPv4 headers).
  * Each segment exists twice: as west sends it from behind the lab's NAT (172.31.0.2 or
  * 2001:db8:31::2 to east) and as east must deliver it (from the NAT's 192.0.2.1 / 2001:db8::1).
  */
class TransportInboundTest {
    // TCP 40000 -> 5201, seq 0x01020304, PSH|ACK, window 64240, payload "causeway!" (odd length)
    private static final String TCP_V4_ORIGINAL = "9c40145101020304000000005018faf0d1510000636175736577617921";
    private static final String TCP_V4_REBUILT = "9c40145101020304000000005018faf0bb710000636175736577617921";
    // UDP 5000 -> 53, payload "abc"
    private static final String UDP_V4_ORIGINAL = "13880035000bb994616263";
    private static final String UDP_V4_REBUILT = "13880035000ba3b4616263";
    // the IPv4 headers the rebuilt segments travel under (192.0.2.1 -> 192.0.2.2, DF, TTL 64)
    private static final String IPV4_HEADER_TCP = "45000031000040004006b6c3c0000201c0000202";
    private static final String IPV4_HEADER_UDP = "4500001f000040004011b6cac0000201c0000202";
    private static final String TCP_V6_ORIGINAL = "9c40145101020304000000005018faf0e3ce0000636175736577617921";
    private static final String TCP_V6_REBUILT = "9c40145101020304000000005018faf0e4000000636175736577617921";
    // ICMPv6 echo request id 0x1234 seq 1, payload "ping"
    private static final String ICMPV6_ORIGINAL = "8000330c1234000170696e67";
    private static final String ICMPV6_REBUILT = "8000333e1234000170696e67";

    private static final int ROOM = 64;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static SelectorCheck selectors(String local, String remote) {
        return new SelectorCheck(List.of(TrafficSelector.parse(local)), List.of(TrafficSelector.parse(remote)));
    }

    /** East's view: traffic from west's public (NAT) address to east. */
    private static TransportInbound eastV4(boolean udpEncap) throws Exception {
        return new TransportInbound(ip("192.0.2.1"), ip("192.0.2.2"), udpEncap, selectors("192.0.2.2/32", "192.0.2.1/32"));
    }

    private static TransportInbound eastV6() throws Exception {
        return new TransportInbound(ip("2001:db8::1"), ip("2001:db8::2"), true,
                selectors("2001:db8::2/128", "2001:db8::1/128"));
    }

    /** The payload as InboundSa.open leaves it: behind the room that held the ESP header and IV. */
    private static byte[] opened(String payload) {
        byte[] p = hex(payload);
        byte[] buf = new byte[ROOM + p.length + 32];
        Arrays.fill(buf, (byte) 0xee); // what ESP header, IV and trailer left behind
        System.arraycopy(p, 0, buf, ROOM, p.length);
        return buf;
    }

    @Test
    void ipv4HeaderIsRebuiltFromTheSaAddressesAndTcpChecksumRecomputed() throws Exception {
        byte[] buf = opened(TCP_V4_ORIGINAL);
        int len = TCP_V4_ORIGINAL.length() / 2;
        int start = eastV4(true).rebuild(buf, ROOM, len, 6);
        assertThat(start).isEqualTo(ROOM - 20);
        assertThat(Arrays.copyOfRange(buf, start, start + 20)).containsExactly(hex(IPV4_HEADER_TCP));
        assertThat(Arrays.copyOfRange(buf, ROOM, ROOM + len)).containsExactly(hex(TCP_V4_REBUILT));
        assertThat(buf[ROOM + len]).as("nothing written behind the payload").isEqualTo((byte) 0xee);
    }

    @Test
    void udpChecksumIsRecomputed() throws Exception {
        byte[] buf = opened(UDP_V4_ORIGINAL);
        int start = eastV4(true).rebuild(buf, ROOM, 11, 17);
        assertThat(Arrays.copyOfRange(buf, start, start + 20)).containsExactly(hex(IPV4_HEADER_UDP));
        assertThat(Arrays.copyOfRange(buf, ROOM, ROOM + 11)).containsExactly(hex(UDP_V4_REBUILT));
    }

    @Test
    void ipv4UdpWithoutChecksumStaysWithout() throws Exception {
        byte[] buf = opened("13880035000b0000616263");
        eastV4(true).rebuild(buf, ROOM, 11, 17);
        assertThat(buf[ROOM + 6]).isZero();
        assertThat(buf[ROOM + 7]).isZero();
    }

    @Test
    void rawEspSaLeavesTheSendersChecksumAlone() throws Exception {
        // without UDP encapsulation there is no NAT: the checksum is the sender's, end to end
        byte[] buf = opened(TCP_V4_ORIGINAL);
        eastV4(false).rebuild(buf, ROOM, TCP_V4_ORIGINAL.length() / 2, 6);
        assertThat(Arrays.copyOfRange(buf, ROOM, ROOM + TCP_V4_ORIGINAL.length() / 2))
                .containsExactly(hex(TCP_V4_ORIGINAL));
    }

    @Test
    void ipv6HeaderCarriesNextHeaderAndPayloadLengthAndChecksumsAreRecomputed() throws Exception {
        byte[] buf = opened(TCP_V6_ORIGINAL);
        int len = TCP_V6_ORIGINAL.length() / 2;
        int start = eastV6().rebuild(buf, ROOM, len, 6);
        assertThat(start).isEqualTo(ROOM - 40);
        assertThat(Arrays.copyOfRange(buf, start, start + 40)).containsExactly(hex(
                "60000000" + "001d" + "06" + "40"
                        + "20010db8000000000000000000000001"
                        + "20010db8000000000000000000000002"));
        assertThat(Arrays.copyOfRange(buf, ROOM, ROOM + len)).containsExactly(hex(TCP_V6_REBUILT));

        byte[] icmp = opened(ICMPV6_ORIGINAL);
        eastV6().rebuild(icmp, ROOM, 12, 58);
        assertThat(Arrays.copyOfRange(icmp, ROOM, ROOM + 12)).containsExactly(hex(ICMPV6_REBUILT));
    }

    @Test
    void icmpv4HasNoPseudoHeaderAndIsLeftAsItCame() throws Exception {
        String echo = "0800f7fe00000001"; // echo request id 0 seq 1, its RFC 792 checksum f7fe
        byte[] buf = opened(echo);
        int start = eastV4(true).rebuild(buf, ROOM, 8, 1);
        assertThat(buf[start + 9]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(buf, ROOM, ROOM + 8)).containsExactly(hex(echo));
        assertThat(Checksum.sum(buf, start, 20, 0)).isEqualTo(0xffff);
    }

    @Test
    void packetOutsideTheSelectorsIsRefused() throws Exception {
        TransportInbound tcpOnly = new TransportInbound(ip("192.0.2.1"), ip("192.0.2.2"), true,
                selectors("192.0.2.2/32[tcp]", "192.0.2.1/32[tcp]"));
        byte[] udp = opened(UDP_V4_ORIGINAL);
        assertThat(tcpOnly.rebuild(udp, ROOM, 11, 17)).isEqualTo(TransportInbound.SELECTOR);
        byte[] tcp = opened(TCP_V4_ORIGINAL);
        assertThat(tcpOnly.rebuild(tcp, ROOM, TCP_V4_ORIGINAL.length() / 2, 6)).isEqualTo(ROOM - 20);

        TransportInbound otherPeer = new TransportInbound(ip("192.0.2.1"), ip("192.0.2.2"), true,
                selectors("192.0.2.2/32", "198.51.100.0/24"));
        assertThat(otherPeer.rebuild(opened(UDP_V4_ORIGINAL), ROOM, 11, 17)).isEqualTo(TransportInbound.SELECTOR);
    }

    @Test
    void truncatedTransportHeaderOrNoRoomIsMalformed() throws Exception {
        byte[] buf = opened("9c401451");
        assertThat(eastV4(true).rebuild(buf, ROOM, 4, 6)).isEqualTo(TransportInbound.MALFORMED);
        assertThat(eastV4(true).rebuild(opened(UDP_V4_ORIGINAL), 10, 11, 17)).isEqualTo(TransportInbound.MALFORMED);
    }

    @Test
    void addressesMustBeOfOneFamily() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                new TransportInbound(ip("192.0.2.1"), ip("2001:db8::2"), true, selectors("0.0.0.0/0", "0.0.0.0/0")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
