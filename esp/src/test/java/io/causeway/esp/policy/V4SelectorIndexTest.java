package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.EspSuite;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The IPv4 SPD index finds exactly what the most-specific-first scan finds, for any mix of selectors. */
class V4SelectorIndexTest {
    private static final EspSuite SUITE = EspSuite.parse("aes128gcm16");
    private static final SaKeys KEYS = new SaKeys(new byte[SUITE.encKeyBytes()], new byte[SUITE.integKeyBytes()]);

    private static String address(Random r) {
        // few distinct networks, so selectors overlap and the order between them matters
        return "10." + r.nextInt(3) + "." + r.nextInt(4) + "." + r.nextInt(8);
    }

    private static TrafficSelector selector(Random r) {
        int[] prefixes = {0, 8, 16, 22, 24, 30, 32};
        String suffix = switch (r.nextInt(4)) {
            case 0 -> "[tcp]";
            case 1 -> "[udp/" + (50 + r.nextInt(6)) + "]";
            case 2 -> "[6/" + (1000 + r.nextInt(3)) + "-" + (1003 + r.nextInt(5)) + "]";
            default -> "";
        };
        return TrafficSelector.parse(address(r) + "/" + prefixes[r.nextInt(prefixes.length)] + suffix);
    }

    private static int ip(Random r) {
        return 10 << 24 | r.nextInt(3) << 16 | r.nextInt(4) << 8 | r.nextInt(8);
    }

    @Test
    void randomSelectorsAndPacketsGiveTheSameSaAsTheScan() {
        Random r = new Random(12);
        for (int round = 0; round < 50; round++) {
            List<OutboundSa> sas = new ArrayList<>();
            int count = 1 + r.nextInt(40);
            for (int i = 0; i < count; i++) {
                List<TrafficSelector> local = List.of(selector(r));
                List<TrafficSelector> remote = r.nextInt(5) == 0 ? List.of(selector(r), selector(r)) : List.of(selector(r));
                sas.add(new OutboundSa(SaConfig.builder(0x100 + i, SUITE, KEYS).selectors(local, remote).build()));
            }
            Spd spd = Spd.of(sas);
            for (int p = 0; p < 2_000; p++) {
                int src = ip(r);
                int dst = ip(r);
                int proto = new int[] {1, 6, 17}[r.nextInt(3)];
                int srcPort = proto == 1 ? -1 : 50 + r.nextInt(1000) % 960;
                int dstPort = proto == 1 ? -1 : r.nextBoolean() ? 50 + r.nextInt(6) : 1000 + r.nextInt(8);
                assertThat(spd.indexV4(src, dst, proto, srcPort, dstPort)).as("round %d packet %d", round, p)
                        .isSameAs(spd.scanV4(src, dst, proto, srcPort, dstPort));
            }
        }
    }

    @Test
    void tenThousandPairsAreFoundAndOthersMissed() {
        List<OutboundSa> sas = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            TrafficSelector local = TrafficSelector.parse("10." + i / 256 + "." + i % 256 + ".0/24");
            TrafficSelector remote = TrafficSelector.parse("172." + (16 + i / 256) + "." + i % 256 + ".0/24");
            sas.add(new OutboundSa(SaConfig.builder(0x1000 + i, SUITE, KEYS).selectors(List.of(local), List.of(remote))
                    .build()));
        }
        Spd spd = Spd.of(sas);
        int i = 9_999;
        int src = 10 << 24 | (i / 256) << 16 | (i % 256) << 8 | 7;
        int dst = 172 << 24 | (16 + i / 256) << 16 | (i % 256) << 8 | 9;
        assertThat(spd.indexV4(src, dst, 1, -1, -1)).isSameAs(sas.get(i));
        assertThat(spd.indexV4(src, dst + (1 << 8), 1, -1, -1)).as("the next remote /24 belongs to no pair with this local")
                .isNull();
    }
}
