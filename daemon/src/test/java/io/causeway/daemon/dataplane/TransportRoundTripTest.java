package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.DropReason;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.TrafficSelector;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
  * West's TUN packet to east's TUN packet through the esp module, as the workers do it: strip
  * (TransportPayload), seal in place, open in place, rebuild (TransportInbound). What east's
  * kernel gets is west's packet without its IPv4 options, under a header of the SA's addresses.
  */
class TransportRoundTripTest {
    // fixed test keys (not secret): AES-128-GCM 16-byte key and 4-byte salt
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f10111213");

    private static SaConfig config(String suite) {
        return SaConfig.builder(0xc0000001, EspSuite.parse(suite), new SaKeys(KEY, new byte[0]))
                .mode(EspMode.TRANSPORT)
                .selectors(List.of(TrafficSelector.parse("192.0.2.2/32")), List.of(TrafficSelector.parse("192.0.2.1/32")))
                .build();
    }

    @Test
    void tcpWithOptionsCrossesAndComesBackWithoutThem() throws Exception {
        // west's packet: IPv4 with one option word (192.0.2.1 -> 192.0.2.2), TCP segment of 29 bytes
        byte[] tcp = HexFormat.of().parseHex("9c40145101020304000000005018faf0bb710000636175736577617921");
        byte[] packet = TransportPayloadTest.ipv4(1, 6, tcp.length, 0x4000);
        System.arraycopy(tcp, 0, packet, 24, tcp.length);

        byte[] buf = new byte[PacketBuffers.SIZE];
        int inner = PacketBuffers.HEADROOM;
        System.arraycopy(packet, 0, buf, inner, packet.length);
        TransportPayload payload = new TransportPayload();
        assertThat(payload.locate(buf, inner, packet.length)).isEqualTo(TransportPayload.OK);

        OutboundSa out = new OutboundSa(config("aes128gcm16"));
        int off = inner + payload.headerLength - out.headroom();
        int espLen = out.seal(buf, off, payload.length, payload.protocol);
        assertThat(espLen).isPositive();
        byte[] wire = Arrays.copyOfRange(buf, off, off + espLen);
        assertThat(wire.length).as("no IP header inside: ESP header, IV, 29 + 3 bytes, ICV")
                .isEqualTo(8 + 8 + 32 + 16);

        // east: the datagram lands behind HEADROOM, as UdpEncapReader puts it
        InboundSa in = new InboundSa(SaConfig.builder(0xc0000001, EspSuite.parse("aes128gcm16"), new SaKeys(KEY, new byte[0]))
                .mode(EspMode.TRANSPORT)
                .selectors(List.of(TrafficSelector.parse("192.0.2.2/32")), List.of(TrafficSelector.parse("192.0.2.1/32")))
                .build());
        byte[] rx = new byte[PacketBuffers.SIZE];
        System.arraycopy(wire, 0, rx, PacketBuffers.HEADROOM, wire.length);
        Opened opened = new Opened();
        assertThat(in.open(rx, PacketBuffers.HEADROOM, wire.length, opened)).isEqualTo(DropReason.NONE);
        assertThat(opened.nextHeader).isEqualTo(6);

        TransportInbound east = TransportInbound.of(in, InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("192.0.2.2"), true);
        int start = east.rebuild(rx, opened.innerOffset, opened.innerLength, opened.nextHeader);
        assertThat(start).isNotNegative();
        byte[] delivered = Arrays.copyOfRange(rx, start, start + 20 + opened.innerLength);
        assertThat(delivered).hasSize(20 + tcp.length);
        assertThat(Arrays.copyOfRange(delivered, 0, 20))
                .containsExactly(HexFormat.of().parseHex("45000031000040004006b6c3c0000201c0000202"));
        // no NAT between these addresses: the recomputed checksum is the one west sent
        assertThat(Arrays.copyOfRange(delivered, 20, delivered.length)).containsExactly(tcp);
    }
}
