package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every key put is found with its value, neighbours that were not put are absent, and no probe runs long. */
class AddressPairTableTest {
    /** SpdLookupBench's pairs: 10.a.b.0/24 to 172.16+a.b.0/24, or fd00:0:a:b::/64 to fd01:0:a:b::/64. */
    private static long[] key(boolean v6, int i) {
        long a = i / 256;
        long b = i % 256;
        return v6 ? new long[] {0xFD01_0000_0000_0000L | a << 16 | b, 0, 0xFD00_0000_0000_0000L | a << 16 | b, 0}
                : new long[] {0, 172L << 24 | (16 + a) << 16 | b << 8, 0, 10L << 24 | a << 16 | b << 8};
    }

    private static AddressPairTable table(boolean v6, int n) {
        AddressPairTable t = new AddressPairTable(n);
        for (int i = 0; i < n; i++) {
            long[] k = key(v6, i);
            t.put(k[0], k[1], k[2], k[3], i);
        }
        return t;
    }

    @Test
    void keysAreFoundAndOthersAreAbsent() {
        for (boolean v6 : new boolean[] {false, true}) {
            for (int n : new int[] {1, 2, 3, 100, 1_000, 10_000}) {
                AddressPairTable t = table(v6, n);
                for (int i = 0; i < n; i++) {
                    long[] k = key(v6, i);
                    assertThat(t.get(k[0], k[1], k[2], k[3])).as("v6 %s, %d keys, key %d", v6, n, i).isEqualTo(i);
                    assertThat(t.get(k[0], k[1], k[2] ^ 0x100, k[3] ^ 0x100)).as("local changed").isEqualTo(-1);
                }
                long[] next = key(v6, n);
                assertThat(t.get(next[0], next[1], next[2], next[3])).as("the next pair, never put").isEqualTo(-1);
            }
        }
    }

    @Test
    void noLookupReadsMoreThanEightSlots() {
        // plain linear probing gives these key sets probes of 10 to 16 slots (1,000 and 10,000 keys); Robin Hood
        // placement keeps them at 7 or fewer
        for (boolean v6 : new boolean[] {false, true}) {
            for (int n : new int[] {100, 1_000, 10_000}) {
                assertThat(table(v6, n).longestProbe()).as("v6 %s, %d keys", v6, n).isLessThanOrEqualTo(8);
            }
        }
    }
}
