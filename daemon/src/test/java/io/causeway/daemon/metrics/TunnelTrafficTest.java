package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TunnelTrafficTest {
    static final class FakeMeter implements TunnelTraffic.Meter {
        long bytesIn;
        long bytesOut;
        long packetsIn;
        long packetsOut;

        void add(long bytes) {
            bytesIn += bytes;
            bytesOut += 2 * bytes;
            packetsIn++;
            packetsOut++;
        }

        public long bytesIn() {
            return bytesIn;
        }

        public long bytesOut() {
            return bytesOut;
        }

        public long packetsIn() {
            return packetsIn;
        }

        public long packetsOut() {
            return packetsOut;
        }
    }

    private final TunnelTraffic traffic = new TunnelTraffic();

    @Test
    void aRekeyKeepsTheOldSasTrafficInTheTotal() {
        FakeMeter first = new FakeMeter();
        assertThat(traffic.installed("t", 1, first)).isFalse();
        first.add(100);
        FakeMeter second = new FakeMeter();
        assertThat(traffic.installed("t", 2, second)).as("installed while one is live: a rekey").isTrue();
        second.add(10);
        assertThat(traffic.totals().get("t")).isEqualTo(new TunnelTraffic.Totals(110, 220, 2, 2));

        first.add(5); // a packet in flight on the old SA before it goes
        traffic.removed("t", 1);
        second.add(1);
        assertThat(traffic.totals().get("t")).isEqualTo(new TunnelTraffic.Totals(116, 232, 4, 4));

        traffic.removed("t", 2);
        assertThat(traffic.installed("t", 3, new FakeMeter())).as("after the last SA went: not a rekey").isFalse();
        assertThat(traffic.totals().get("t")).isEqualTo(new TunnelTraffic.Totals(116, 232, 4, 4));
    }

    @Test
    void tunnelsAreCountedApartAndUnknownRemovalsIgnored() {
        FakeMeter a = new FakeMeter();
        FakeMeter b = new FakeMeter();
        traffic.installed("a", 1, a);
        traffic.installed("b", 1, b);
        a.add(7);
        traffic.removed("a", 99);
        traffic.removed("nosuch", 1);
        assertThat(traffic.totals()).containsOnlyKeys("a", "b");
        assertThat(traffic.totals().get("a").bytesIn()).isEqualTo(7);
        assertThat(traffic.totals().get("b")).isEqualTo(TunnelTraffic.Totals.ZERO);
    }
}
