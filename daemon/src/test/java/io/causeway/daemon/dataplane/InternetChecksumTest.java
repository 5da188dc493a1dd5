package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (one's complement 220d).
        byte[] b = hex("0001 f203 f4f5 f6f7");
        assertThat(InternetChecksum.fold(InternetChecksum.add(0, b, 0, b.length))).isEqualTo(0xddf2);
        assertThat(InternetChecksum.finish(InternetChecksum.add(0, b, 0, b.length))).isEqualTo(0x220d);
    }

    @Test
    void ipv4HeaderExample() {
        // The IPv4 header of Wikipedia's "Internet checksum" article, checksum field zeroed: b861.
        byte[] header = hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
        assertThat(InternetChecksum.finish(InternetChecksum.add(0, header, 0, header.length))).isEqualTo(0xb861);
        header[10] = (byte) 0xb8;
        header[11] = 0x61;
        // RFC 1071 1: a header with its checksum in place sums to all ones
        assertThat(InternetChecksum.fold(InternetChecksum.add(0, header, 0, header.length))).isEqualTo(0xffff);
    }

    @Test
    void piecesAddUpToTheWholeAndAnOddTailIsPaddedWithZero() {
        byte[] b = hex("0001 f203 f4f5 f6f7 ab");
        long whole = InternetChecksum.add(0, b, 0, b.length);
        long pieces = InternetChecksum.add(InternetChecksum.add(0, b, 0, 6), b, 6, 3);
        assertThat(InternetChecksum.fold(pieces)).isEqualTo(InternetChecksum.fold(whole));
        assertThat(InternetChecksum.fold(whole)).isEqualTo(InternetChecksum.fold(0xddf2L + 0xab00L));
    }
}
