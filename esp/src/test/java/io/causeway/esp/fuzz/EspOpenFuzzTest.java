package io.causeway.esp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.esp.CryptoProvider;
import io.causeway.esp.DropReason;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.encap.UdpEncap;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ESP open with the anti-replay window, driven by a script of operations: seal a new packet with a known key
 * (so the fuzzer reaches the trailer and the window), deliver an earlier one again, deliver one with a flipped
 * byte, or deliver raw bytes. Contract: open never throws; a genuine packet opens at most once and then gives
 * back exactly what was sealed; a changed or raw packet never opens. Each datagram also goes through the
 * port-4500 demux, which must put it in exactly one class.
 */
class EspOpenFuzzTest {
    private static final int WINDOW = 64;
    private static final int MAX_OPERATIONS = 64;

    @FuzzTest
    void openWithReplayWindow(FuzzedDataProvider data) {
        EspSuite suite = data.consumeBoolean() ? EspSuite.parse("aes128gcm16") : EspSuite.parse("aes128-sha256");
        SaConfig.Builder cfg = Sas.config(suite, CryptoProvider.JCE).replayWindow(WINDOW).mode(EspMode.TRANSPORT);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        List<byte[]> sealed = new ArrayList<>();
        List<byte[]> inners = new ArrayList<>();
        boolean[] opened = new boolean[MAX_OPERATIONS];
        Opened o = new Opened();
        for (int op = 0; op < MAX_OPERATIONS && data.remainingBytes() > 0; op++) {
            switch (data.consumeInt(0, 3)) {
                case 0 -> {
                    byte[] inner = data.consumeBytes(data.consumeInt(0, 200));
                    sealed.add(Wire.seal(out, inner, 4));
                    inners.add(inner);
                }
                case 1 -> {
                    if (sealed.isEmpty()) {
                        continue;
                    }
                    int i = data.consumeInt(0, sealed.size() - 1);
                    byte[] copy = sealed.get(i).clone();
                    DropReason r = open(in, copy, o);
                    if (r == DropReason.NONE) {
                        assertThat(opened[i]).as("packet %d opened twice", i).isFalse();
                        opened[i] = true;
                        assertThat(Arrays.copyOfRange(copy, o.innerOffset, o.innerOffset + o.innerLength))
                                .isEqualTo(inners.get(i));
                    }
                }
                case 2 -> {
                    if (sealed.isEmpty()) {
                        continue;
                    }
                    byte[] copy = sealed.get(data.consumeInt(0, sealed.size() - 1)).clone();
                    copy[data.consumeInt(0, copy.length - 1)] ^= (byte) data.consumeInt(1, 255);
                    assertThat(open(in, copy, o)).isNotEqualTo(DropReason.NONE);
                }
                default -> {
                    byte[] raw = data.consumeBytes(data.consumeInt(0, 300));
                    assertThat(open(in, raw, o)).isNotEqualTo(DropReason.NONE);
                }
            }
        }
    }

    private static DropReason open(InboundSa in, byte[] packet, Opened o) {
        int kinds = (UdpEncap.isEsp(packet, 0, packet.length) ? 1 : 0)
                + (UdpEncap.isNonEspMarker(packet, 0, packet.length) ? 1 : 0)
                + (UdpEncap.isKeepalive(packet, 0, packet.length) ? 1 : 0);
        assertThat(kinds).as("port 4500 classes of a datagram").isLessThanOrEqualTo(1);
        return in.open(packet, 0, packet.length, o);
    }
}
