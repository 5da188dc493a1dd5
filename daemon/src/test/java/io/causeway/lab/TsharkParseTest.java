package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TsharkParseTest {
    // Captured on the lab machine with Tshark.capture on east's veth and `tshark -n -r FILE -V`
    // (TShark 4.0.17): one ESP-in-UDP packet of a strongSwan tunnel ping. Timestamp and MAC bit
    // detail lines were left out to keep it short; the parser only reads layer headers and errors.
    private static final String ESP_IN_UDP_FRAME = """
        Frame 1: 162 bytes on wire (1296 bits), 162 bytes captured (1296 bits)
            Encapsulation type: Ethernet (1)
            Frame Number: 1
            [Protocols in frame: eth:ethertype:ip:udp:udpencap:esp]
        Ethernet II, Src: 8e:5f:cd:14:88:33, Dst: 56:a4:9f:6e:76:16
            Type: IPv4 (0x0800)
        Internet Protocol Version 4, Src: 192.0.2.1, Dst: 192.0.2.2
            Protocol: UDP (17)
        User Datagram Protocol, Src Port: 4500, Dst Port: 4500
            Length: 128
            UDP payload (120 bytes)
        UDP Encapsulation of IPsec Packets
        Encapsulating Security Payload
            ESP SPI: 0xaa0b00ae (2852847790)
            ESP Sequence: 1

        """;

    // Captured the same way: a 2-byte UDP datagram ("ab") sent to port 4500, too short for either
    // a non-ESP marker or an ESP header.
    private static final String TRUNCATED_UDP_4500 = """
        Frame 1: 44 bytes on wire (352 bits), 44 bytes captured (352 bits)
            [Protocols in frame: eth:ethertype:ip:udp:udpencap]
        Ethernet II, Src: 8e:5f:cd:14:88:33, Dst: 56:a4:9f:6e:76:16
        Internet Protocol Version 4, Src: 192.0.2.1, Dst: 192.0.2.2
        User Datagram Protocol, Src Port: 51389, Dst Port: 4500
            UDP payload (2 bytes)
        UDP Encapsulation of IPsec Packets
        [Malformed Packet: UDPENCAP]
            [Expert Info (Error/Malformed): Malformed Packet (Exception occurred)]
                [Malformed Packet (Exception occurred)]
                [Severity level: Error]
                [Group: Malformed]

        """;

    @Test
    void countsEspLayersOfCleanFrames() {
        Tshark.Report report = Tshark.parse(ESP_IN_UDP_FRAME + ESP_IN_UDP_FRAME.replace("Frame 1:", "Frame 2:"));

        assertThat(report.frames()).isEqualTo(2);
        assertThat(report.espPackets()).isEqualTo(2);
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.framesWithErrors()).isZero();
    }

    @Test
    void flagsMalformedFramesOncePerFrame() {
        Tshark.Report report = Tshark.parse(ESP_IN_UDP_FRAME + TRUNCATED_UDP_4500.replace("Frame 1:", "Frame 2:"));

        assertThat(report.frames()).isEqualTo(2);
        assertThat(report.espPackets()).isEqualTo(1);
        assertThat(report.hasErrors()).isTrue();
        assertThat(report.framesWithErrors()).isEqualTo(1);
        assertThat(report.errorLines()).contains("[Malformed Packet: UDPENCAP]");
    }

    @Test
    void emptyCapture() {
        Tshark.Report report = Tshark.parse("");

        assertThat(report.frames()).isZero();
        assertThat(report.espPackets()).isZero();
        assertThat(report.hasErrors()).isFalse();
    }
}
