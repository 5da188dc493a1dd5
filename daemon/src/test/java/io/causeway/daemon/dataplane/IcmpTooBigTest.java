package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.offload.Checksum;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpTooBigTest {
    /** An IPv4 UDP packet 10.1.0.1 -> 10.2.0.1 of the given length, DF set as asked. */
    private static byte[] ipv4(int len, boolean df) {
        byte[] p = new byte[len];
        p[0] = 0x45;
        p[2] = (byte) (len >>> 8);
        p[3] = (byte) len;
        p[6] = (byte) (df ? 0x40 : 0);
        p[8] = 64;
        p[9] = 17;
        p[12] = 10; p[13] = 1; p[14] = 0; p[15] = 1;
        p[16] = 10; p[17] = 2; p[18] = 0; p[19] = 1;
        return p;
    }

    private static byte[] ipv6(int len) {
        byte[] p = new byte[len];
        p[0] = 0x60;
        p[4] = (byte) ((len - 40) >>> 8);
        p[5] = (byte) (len - 40);
        p[6] = 17;
        p[7] = 64;
        p[8] = (byte) 0xfd; p[9] = 0; p[10] = 0; p[11] = 1; p[23] = 1; // fd00:1::1
        p[24] = (byte) 0xfd; p[25] = 0; p[26] = 0; p[27] = 2; p[39] = 1; // fd00:2::1
        return p;
    }

    @Test
    void fragmentationNeededQuotesTheHeaderAndCarriesTheMtu() {
        byte[] pkt = ipv4(1500, true);
        byte[] out = new byte[1400];
        int n = IcmpTooBig.build(pkt, 0, pkt.length, 1400, out);

        assertThat(n).isEqualTo(576);
        assertThat(out[9]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(out, 12, 16)).containsExactly(10, 2, 0, 1);
        assertThat(Arrays.copyOfRange(out, 16, 20)).containsExactly(10, 1, 0, 1);
        assertThat(out[20]).isEqualTo((byte) 3);
        assertThat(out[21]).isEqualTo((byte) 4);
        assertThat(((out[26] & 0xff) << 8) | (out[27] & 0xff)).isEqualTo(1400);
        assertThat(Arrays.copyOfRange(out, 28, 48)).containsExactly(Arrays.copyOfRange(pkt, 0, 20));
        assertThat(Checksum.compute(out, 0, 20, 0)).as("IP header checksum verifies").isZero();
        assertThat(Checksum.compute(out, 20, n - 20, 0)).as("ICMP checksum verifies").isZero();
    }

    @Test
    void packetTooBigChecksumCoversThePseudoHeader() {
        byte[] pkt = ipv6(1500);
        byte[] out = new byte[1400];
        int n = IcmpTooBig.build(pkt, 0, pkt.length, 1380, out);

        assertThat(n).isEqualTo(1280);
        assertThat(out[6]).isEqualTo((byte) 58);
        assertThat(out[40]).isEqualTo((byte) 2);
        assertThat(((out[46] & 0xff) << 8) | (out[47] & 0xff)).isEqualTo(1380);
        assertThat(out[8]).isEqualTo((byte) 0xfd);
        assertThat(out[11]).as("source is the original destination").isEqualTo((byte) 2);
        byte[] pseudo = new byte[40];
        System.arraycopy(out, 8, pseudo, 0, 32);
        int payload = n - 40;
        pseudo[34] = (byte) (payload >>> 8);
        pseudo[35] = (byte) payload;
        pseudo[39] = 58;
        byte[] all = new byte[40 + payload];
        System.arraycopy(pseudo, 0, all, 0, 40);
        System.arraycopy(out, 40, all, 40, payload);
        assertThat(Checksum.compute(all, 0, all.length, 0)).isZero();
    }

    @Test
    void dfDecidesForIpv4AndIpv6NeverFragments() {
        assertThat(IcmpTooBig.mustNotFragment(ipv4(100, true), 0)).isTrue();
        assertThat(IcmpTooBig.mustNotFragment(ipv4(100, false), 0)).isFalse();
        assertThat(IcmpTooBig.mustNotFragment(ipv6(100), 0)).isTrue();
    }

    @Test
    void anIcmpErrorIsNeverAnsweredWithAnother() {
        byte[] pkt = ipv4(600, true);
        pkt[9] = 1;
        pkt[20] = 3;
        assertThat(IcmpTooBig.build(pkt, 0, pkt.length, 500, new byte[1400])).isZero();
    }
}
