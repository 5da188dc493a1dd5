package io.causeway.esp.policy;

import java.util.Arrays;

/**
 * An open-addressing map from a (remote, local) pair of addresses, each as the two longs {@link TrafficSelector}
 * keeps, to a small non-negative int. The four longs of a slot sit side by side, so a probe reads one cache line.
 * IPv4 keys are the same with both high words zero.
 */
final class AddressPairTable {
    static final int ABSENT = -1;

    private final long[] keys;
    private final int[] values;
    private final int mask;

    /** size: the most keys that will be put; the table stays at most half full. */
    AddressPairTable(int size) {
        int capacity = Integer.highestOneBit(Math.max(2, size * 2 - 1)) << 1;
        keys = new long[capacity * 4];
        values = new int[capacity];
        Arrays.fill(values, ABSENT);
        mask = capacity - 1;
    }

    /** The key must not be present yet. */
    void put(long remoteHi, long remoteLo, long localHi, long localLo, int value) {
        int i = slot(remoteHi, remoteLo, localHi, localLo);
        while (values[i] != ABSENT) {
            i = (i + 1) & mask;
        }
        keys[4 * i] = remoteHi;
        keys[4 * i + 1] = remoteLo;
        keys[4 * i + 2] = localHi;
        keys[4 * i + 3] = localLo;
        values[i] = value;
    }

    int get(long remoteHi, long remoteLo, long localHi, long localLo) {
        for (int i = slot(remoteHi, remoteLo, localHi, localLo); values[i] != ABSENT; i = (i + 1) & mask) {
            int k = 4 * i;
            if (keys[k] == remoteHi && keys[k + 1] == remoteLo && keys[k + 2] == localHi && keys[k + 3] == localLo) {
                return values[i];
            }
        }
        return ABSENT;
    }

    private int slot(long remoteHi, long remoteLo, long localHi, long localLo) {
        // Four independent multiplications (they pipeline), then a xorshift-multiply-xorshift finish: addresses
        // that differ only in their top bits (a /1 against a /2) must still land in different low slot bits.
        long h = remoteHi * 0x9E3779B97F4A7C15L + remoteLo * 0xC2B2AE3D27D4EB4FL
                + localHi * 0x165667B19E3779F9L + localLo * 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int) h & mask;
    }
}
