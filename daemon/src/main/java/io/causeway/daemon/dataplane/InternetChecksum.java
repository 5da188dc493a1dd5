package io.causeway.daemon.dataplane;

/**
  * The Internet checksum (RFC 1071): the one's-complement of the one's-complement sum of 16-bit
  * big-endian words. Sums are carried unfolded in a long, so pieces (pseudo-header, header,
  * payload) can be added in any order and folded once at the end.
  */
final class InternetChecksum {
    private InternetChecksum() {}

    /**
      * Adds {@code b[off, off+len)} to {@code sum}. An odd last byte counts as the high byte of a
      * word whose low byte is zero (RFC 1071 4.1), so only the last piece may have an odd length.
      */
    static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        // 32-bit words fold to the same 16-bit sum, since 2^16 = 1 modulo 0xffff (RFC 1071 2(B))
        for (; i + 3 < end; i += 4) {
            sum += ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds the carries back in (end-around carry) to a 16-bit one's-complement sum. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field value for a running sum: its folded one's complement. */
    static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }
}
