package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransportPayloadTest {
    private final TransportPayload payload = new TransportPayload();

    /** IPv4 192.0.2.1 -> 192.0.2.2 with {@code optionWords} 32-bit words of options and a payload. */
    static byte[] ipv4(int optionWords, int protocol, int payloadLen, int flagsAndOffset) {
        int ihl = 20 + 4 * optionWords;
        byte[] p = new byte[ihl + payloadLen];
        p[0] = (byte) (0x40 | (5 + optionWords));
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[6] = (byte) (flagsAndOffset >>> 8);
        p[7] = (byte) flagsAndOffset;
        p[8] = 64;
        p[9] = (byte) protocol;
        p[12] = (byte) 192; p[14] = 2; p[15] = 1;
        p[16] = (byte) 192; p[18] = 2; p[19] = 2;
        for (int i = 20; i < ihl; i++) p[i] = 1; // NOP options (RFC 791)
        for (int i = ihl; i < p.length; i++) p[i] = (byte) (0xa0 + i);
        return p;
    }

    /** IPv6 with the given extension header chain (next header values, each 8 bytes long). */
    static byte[] ipv6(int[] extensions, int protocol, int payloadLen) {
        int ext = 8 * extensions.length;
        byte[] p = new byte[40 + ext + payloadLen];
        p[0] = 0x60;
        p[4] = (byte) ((ext + payloadLen) >>> 8);
        p[5] = (byte) (ext + payloadLen);
        p[6] = (byte) (extensions.length == 0 ? protocol : extensions[0]);
        p[7] = 64;
        p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = (byte) 0xb8; p[23] = 1;
        p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = (byte) 0xb8; p[39] = 2;
        for (int i = 0; i < extensions.length; i++) {
            int at = 40 + 8 * i;
            p[at] = (byte) (i + 1 < extensions.length ? extensions[i + 1] : protocol);
            p[at + 1] = 0; // length in 8-byte units, minus one
        }
        return p;
    }

    @Test
    void ipv4HeaderIsStrippedAndItsProtocolBecomesTheNextHeader() {
        byte[] p = ipv4(0, 6, 33, 0x4000);
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.OK);
        assertThat(payload.headerLength).isEqualTo(20);
        assertThat(payload.length).isEqualTo(33);
        assertThat(payload.protocol).isEqualTo(6);
    }

    @Test
    void ipv4OptionsGoWithTheHeader() {
        byte[] p = ipv4(3, 17, 8, 0);
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.OK);
        assertThat(payload.headerLength).isEqualTo(32);
        assertThat(payload.length).isEqualTo(8);
        assertThat(payload.protocol).isEqualTo(17);
    }

    @Test
    void theLengthComesFromTheHeaderNotFromTheRead() {
        byte[] p = ipv4(0, 1, 10, 0);
        byte[] padded = java.util.Arrays.copyOf(p, p.length + 6);
        assertThat(payload.locate(padded, 0, padded.length)).isEqualTo(TransportPayload.OK);
        assertThat(payload.length).isEqualTo(10);
    }

    @Test
    void ipv4FragmentsAreNotCarried() {
        byte[] first = ipv4(0, 17, 16, 0x2000);  // MF
        byte[] later = ipv4(0, 17, 16, 0x0002);  // offset 16
        byte[] last = ipv4(0, 17, 16, 0x0003);   // offset, no MF
        assertThat(payload.locate(first, 0, first.length)).isEqualTo(TransportPayload.FRAGMENT);
        assertThat(payload.locate(later, 0, later.length)).isEqualTo(TransportPayload.FRAGMENT);
        assertThat(payload.locate(last, 0, last.length)).isEqualTo(TransportPayload.FRAGMENT);
    }

    @Test
    void brokenIpv4IsMalformed() {
        byte[] p = ipv4(0, 6, 20, 0);
        assertThat(payload.locate(p, 0, p.length - 1)).isEqualTo(TransportPayload.MALFORMED); // length field says more
        p[0] = 0x44; // IHL 16 bytes
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.MALFORMED);
        assertThat(payload.locate(p, 0, 19)).isEqualTo(TransportPayload.MALFORMED);
        byte[] v5 = {0x50};
        assertThat(payload.locate(v5, 0, 1)).isEqualTo(TransportPayload.MALFORMED);
    }

    @Test
    void ipv6FixedHeaderIsStripped() {
        byte[] p = ipv6(new int[0], 58, 12);
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.OK);
        assertThat(payload.headerLength).isEqualTo(40);
        assertThat(payload.length).isEqualTo(12);
        assertThat(payload.protocol).isEqualTo(58);
    }

    @Test
    void ipv6ExtensionHeadersBeforeTheTransportHeaderAreStrippedToo() {
        byte[] p = ipv6(new int[] {0, 43, 60}, 6, 20); // hop-by-hop, routing, destination options
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.OK);
        assertThat(payload.headerLength).isEqualTo(64);
        assertThat(payload.length).isEqualTo(20);
        assertThat(payload.protocol).isEqualTo(6);
    }

    @Test
    void ipv6FragmentsAreNotCarried() {
        byte[] p = ipv6(new int[] {60, 44}, 17, 16);
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.FRAGMENT);
    }

    @Test
    void truncatedIpv6ExtensionHeaderIsMalformed() {
        byte[] p = ipv6(new int[] {60}, 6, 0);
        p[41] = 1; // says 16 bytes, only 8 there
        assertThat(payload.locate(p, 0, p.length)).isEqualTo(TransportPayload.MALFORMED);
        byte[] q = ipv6(new int[0], 6, 20);
        assertThat(payload.locate(q, 0, q.length - 1)).isEqualTo(TransportPayload.MALFORMED);
    }

    @Test
    void worksAtAnOffset() {
        byte[] p = ipv4(1, 6, 5, 0);
        byte[] buf = new byte[64 + p.length];
        System.arraycopy(p, 0, buf, 64, p.length);
        assertThat(payload.locate(buf, 64, p.length)).isEqualTo(TransportPayload.OK);
        assertThat(payload.headerLength).isEqualTo(24);
        assertThat(payload.length).isEqualTo(5);
    }
}
