package io.causeway.esp.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the one's complement of the one's-complement sum of big-endian 16-bit words.
 *
 * <p>Running sums passed between these methods are always folded to 16 bits (0 to 0xFFFF), so any of them can be
 * the {@code initial} of the next piece. Pieces may be added in any order, but each must start an even number of
 * bytes into the checksummed range; only the last may have an odd length (RFC 1071 4.1 pads it with a zero byte).
 */
public final class Checksum {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Adds {@code b[off, off+len)} to {@code initial} (taken as an unsigned 32-bit sum, so a folded value or a
     * pseudo-header sum both work) and returns the one's-complement sum folded to 16 bits, not complemented.
     */
    public static int sum(byte[] b, int off, int len, int initial) {
        // 64-bit words give the same 16-bit sum as 16-bit ones, since 2^16 = 1 modulo 0xFFFF (RFC 1071 2(B)),
        // as long as every carry out of bit 63 is added back in at bit 0.
        long acc = initial & 0xFFFFFFFFL;
        int i = off;
        int end = off + len;
        for (; i + 32 <= end; i += 32) {
            acc = addCarry(acc, (long) LONG_BE.get(b, i));
            acc = addCarry(acc, (long) LONG_BE.get(b, i + 8));
            acc = addCarry(acc, (long) LONG_BE.get(b, i + 16));
            acc = addCarry(acc, (long) LONG_BE.get(b, i + 24));
        }
        for (; i + 8 <= end; i += 8) {
            acc = addCarry(acc, (long) LONG_BE.get(b, i));
        }
        // What is left is under 8 bytes; each addition below stays far from bit 63.
        if (i + 4 <= end) {
            acc = addCarry(acc, (int) INT_BE.get(b, i) & 0xFFFFFFFFL);
            i += 4;
        }
        if (i + 2 <= end) {
            acc = addCarry(acc, (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF));
            i += 2;
        }
        if (i < end) {
            acc = addCarry(acc, (b[i] & 0xFF) << 8);
        }
        return fold(acc);
    }

    /** The checksum field's value for {@code b[off, off+len)} on top of {@code initial}: the complemented sum. */
    public static int compute(byte[] b, int off, int len, int initial) {
        return ~sum(b, off, len, initial) & 0xFFFF;
    }

    /** The complement of a running sum: what goes into a checksum field. */
    public static int finish(int sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** True when a range that includes its own checksum field sums to all ones, i.e. the checksum verifies. */
    public static boolean verifies(byte[] b, int off, int len, int initial) {
        return sum(b, off, len, initial) == 0xFFFF;
    }

    /** Folds a 64-bit one's-complement sum to 16 bits with end-around carries. */
    public static int fold(long sum) {
        long s = (sum >>> 32) + (sum & 0xFFFFFFFFL);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        return (int) s;
    }

    /** Folds a sum held in an int, read as unsigned. */
    public static int fold(int sum) {
        return fold(sum & 0xFFFFFFFFL);
    }

    /**
     * The IPv4 pseudo-header sum (RFC 793 3.1 / RFC 768): source, destination, zero, protocol and the transport
     * length, folded, not complemented. {@code pkt[ipOff]} is the start of the IPv4 header.
     */
    public static int pseudoHeaderV4(byte[] pkt, int ipOff, int protocol, int l4Length) {
        long acc = ((int) INT_BE.get(pkt, ipOff + 12) & 0xFFFFFFFFL) + ((int) INT_BE.get(pkt, ipOff + 16) & 0xFFFFFFFFL);
        return fold(acc + protocol + l4Length);
    }

    /**
     * The IPv6 pseudo-header sum (RFC 8200 8.1): source, destination, the 32-bit upper-layer length and the next
     * header value, folded, not complemented. {@code pkt[ipOff]} is the start of the IPv6 header.
     */
    public static int pseudoHeaderV6(byte[] pkt, int ipOff, int nextHeader, int l4Length) {
        long acc = 0;
        for (int i = 8; i < 40; i += 8) {
            acc = addCarry(acc, (long) LONG_BE.get(pkt, ipOff + i));
        }
        return fold(addCarry(acc, (l4Length & 0xFFFFFFFFL) + nextHeader));
    }

    /** 64-bit addition with the carry out of bit 63 added back in (one's-complement addition). */
    private static long addCarry(long acc, long v) {
        long s = acc + v;
        // carry out of bit 63: both top bits set, or one set and the sum's clear
        long carry = ((acc & v) | ((acc | v) & ~s)) >>> 63;
        // s is at most 2^64 - 2 when there was a carry, so adding it back cannot carry again
        return s + carry;
    }
}
