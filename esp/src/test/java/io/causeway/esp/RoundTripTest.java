package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every suite x tunnel/transport x IPv4/IPv6 inner x ESN on/off x provider: seal, then open gives the packet back. */
class RoundTripTest {

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (EspSuite suite : Sas.allSuites()) {
            for (EspMode mode : EspMode.values()) {
                for (boolean v6 : new boolean[] {false, true}) {
                    for (boolean esn : new boolean[] {false, true}) {
                        for (CryptoProvider p : CryptoProvider.values()) {
                            all.add(Arguments.of(suite.name(), suite, mode, v6, esn, p));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {2} v6={3} esn={4} {5}")
    @MethodSource("matrix")
    void sealThenOpenReturnsTheInnerPacket(String name, EspSuite suite, EspMode mode, boolean v6, boolean esn, CryptoProvider p) {
        SaConfig.Builder cfg = Sas.config(suite, p).mode(mode).esn(esn);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        Opened opened = new Opened();
        for (int size : new int[] {0, 1, 13, 14, 15, 16, 17, 100, 1400}) {
            byte[] inner = v6 ? Packets.udp("fd00::1", "fd01::2", size) : Packets.udp("10.1.0.1", "10.2.0.2", size);
            int nextHeader = mode == EspMode.TUNNEL ? (v6 ? 41 : 4) : 17;

            byte[] esp = Wire.seal(out, inner, nextHeader);

            assertThat(esp.length).isEqualTo(out.headroom() + inner.length + paddedTail(suite, inner.length));
            assertThat((esp.length - out.headroom() - suite.icvBytes()) % suite.blockBytes()).isZero();
            assertThat(in.open(esp, 0, esp.length, opened)).isEqualTo(DropReason.NONE);
            assertThat(opened.nextHeader).isEqualTo(nextHeader);
            assertThat(Arrays.copyOfRange(esp, opened.innerOffset, opened.innerOffset + opened.innerLength)).isEqualTo(inner);
        }
        assertThat(in.counters().packetsIn()).isEqualTo(9);
        assertThat(out.counters().packetsOut()).isEqualTo(9);
        assertThat(in.counters().bytesIn()).isEqualTo(out.counters().bytesOut());
    }

    private static int paddedTail(EspSuite s, int innerLen) {
        int a = s.blockBytes();
        return (innerLen + 2 + a - 1) / a * a - innerLen + s.icvBytes();
    }
}
