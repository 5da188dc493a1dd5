package io.causeway.esp.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** RFC 1071 section 3, "Numerical Examples": bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (after folding 2ddf0). */
    @Test
    void rfc1071WorkedExample() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};

        assertThat(Checksum.sum(b, 0, b.length, 0)).isEqualTo(0xddf2);
        assertThat(Checksum.compute(b, 0, b.length, 0)).isEqualTo(0x220d);
        // the same data with its checksum appended verifies
        byte[] withSum = Arrays.copyOf(b, 10);
        withSum[8] = 0x22;
        withSum[9] = 0x0d;
        assertThat(Checksum.verifies(withSum, 0, 10, 0)).isTrue();
    }

    @Test
    void matchesPlainSixteenBitLoopOnRandomBuffers() {
        Random r = new Random(1071);
        byte[] b = new byte[2_100];
        for (int n = 0; n < 10_000; n++) {
            if (n % 10 == 0) {
                // all ones makes every 64-bit addition carry
                Arrays.fill(b, (byte) 0xFF);
            } else {
                r.nextBytes(b);
            }
            int off = r.nextInt(64);
            int len = r.nextInt(n % 3 == 0 ? 40 : 2_000);
            int initial = n % 2 == 0 ? r.nextInt(0x10000) : r.nextInt();

            assertThat(Checksum.sum(b, off, len, initial))
                    .as("off %d len %d initial %08x", off, len, initial)
                    .isEqualTo(referenceSum(b, off, len, initial & 0xFFFFFFFFL));
        }
    }

    @Test
    void foldKeepsEveryCarry() {
        assertThat(Checksum.fold(0L)).isZero();
        assertThat(Checksum.fold(-1L)).isEqualTo(0xFFFF);
        assertThat(Checksum.fold(-1)).isEqualTo(0xFFFF);
        assertThat(Checksum.fold(0x1_0000L)).isEqualTo(1);
        assertThat(Checksum.fold(0xFFFF_FFFF_FFFE_0001L)).isEqualTo(referenceFold(0xFFFF_FFFF_FFFE_0001L));
        Random r = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            long v = r.nextLong();
            assertThat(Checksum.fold(v)).isEqualTo(referenceFold(v));
        }
    }

    @Test
    void pseudoHeadersMatchTheirDefinitions() {
        Random r = new Random(8200);
        byte[] v4 = new byte[20];
        byte[] v6 = new byte[40];
        for (int i = 0; i < 1_000; i++) {
            r.nextBytes(v4);
            r.nextBytes(v6);
            int len = r.nextInt(65_536);
            // RFC 793 3.1: source, destination, zero, PTCL, TCP length
            byte[] p4 = new byte[12];
            System.arraycopy(v4, 12, p4, 0, 8);
            p4[9] = 6;
            p4[10] = (byte) (len >> 8);
            p4[11] = (byte) len;
            // RFC 8200 8.1: source, destination, 32-bit upper-layer length, three zero bytes, next header
            byte[] p6 = new byte[40];
            System.arraycopy(v6, 8, p6, 0, 32);
            p6[34] = (byte) (len >> 8);
            p6[35] = (byte) len;
            p6[39] = 17;

            assertThat(Checksum.pseudoHeaderV4(v4, 0, 6, len)).isEqualTo(referenceSum(p4, 0, 12, 0));
            assertThat(Checksum.pseudoHeaderV6(v6, 0, 17, len)).isEqualTo(referenceSum(p6, 0, 40, 0));
        }
    }

    private static int referenceSum(byte[] b, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            s += hi << 8 | lo;
        }
        return referenceFold(s);
    }

    private static int referenceFold(long s) {
        // one 16-bit piece at a time, as unsigned
        long acc = 0;
        for (int shift = 0; shift < 64; shift += 16) {
            acc += (s >>> shift) & 0xFFFF;
        }
        while (acc > 0xFFFF) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }
}
