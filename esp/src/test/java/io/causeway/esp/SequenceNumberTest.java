package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SequenceNumberTest {
    private static final long TWO_32 = 1L << 32;
    private final byte[] inner = Packets.udp("10.0.0.1", "10.0.0.2", 30);

    /** RFC 4304 / RFC 4303 A2: the receiver infers the high bits across the 2^32 boundary, in and out of order. */
    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void esnCrossesTwoToThe32(CryptoProvider p) {
        for (String suite : new String[] {"aes128gcm16", "aes128-sha256"}) {
            SaConfig.Builder cfg = Sas.config(EspSuite.parse(suite), p).esn(true);
            OutboundSa out = new OutboundSa(cfg.initialSequence(TWO_32 - 4).build());
            InboundSa in = new InboundSa(cfg.initialSequence(TWO_32 - 5).build());
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                packets.add(Wire.seal(out, inner, 4)); // sequence 2^32-3 .. 2^32+4
            }
            Opened o = new Opened();
            int[] order = {0, 4, 1, 2, 3, 6, 5, 7}; // reordered across the boundary
            for (int i : order) {
                byte[] pkt = packets.get(i);
                assertThat(in.open(pkt, 0, pkt.length, o)).as("%s packet %d", suite, i).isEqualTo(DropReason.NONE);
                assertThat(o.sequence).isEqualTo(TWO_32 - 3 + i);
            }
            byte[] replay = packets.get(2).clone();
            assertThat(in.open(replay, 0, replay.length, o)).isEqualTo(DropReason.REPLAY);
            assertThat(in.highestSequence()).isEqualTo(TWO_32 + 4);
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void withoutEsnTheSaStopsAfterSequence2To32Minus1(CryptoProvider p) {
        List<LimitKind> events = new ArrayList<>();
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128-sha1"), p)
                .initialSequence(TWO_32 - 2).limitListener((spi, inbound, kind) -> events.add(kind));
        OutboundSa out = Sas.out(cfg);
        byte[] buf = new byte[out.headroom() + inner.length + out.maxTailroom()];

        assertThat(out.seal(buf, 0, inner.length, 4)).isPositive();
        assertThat(out.seal(buf, 0, inner.length, 4)).isEqualTo(SealError.SEQUENCE_EXHAUSTED);
        assertThat(out.seal(buf, 0, inner.length, 4)).isEqualTo(SealError.SEQUENCE_EXHAUSTED);
        assertThat(events).containsExactly(LimitKind.SEQUENCE_EXHAUSTED);
        assertThat(out.stopped()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void gcmIvIsTheSequenceNumber(CryptoProvider p) {
        OutboundSa out = Sas.out(Sas.config(EspSuite.parse("aes256gcm16"), p).esn(true).initialSequence(0x1234_5678_9aL));
        byte[] esp = Wire.seal(out, inner, 4);
        assertThat(io.causeway.esp.packet.Bytes.readInt(esp, 8)).isEqualTo(0x12);
        assertThat(io.causeway.esp.packet.Bytes.readInt(esp, 12)).isEqualTo(0x3456789b);
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void cbcIvsDifferEvenForIdenticalPackets(CryptoProvider p) {
        OutboundSa out = Sas.out(Sas.config(EspSuite.parse("aes128-sha256"), p));
        byte[] a = Wire.seal(out, inner, 4);
        byte[] b = Wire.seal(out, inner, 4);
        assertThat(java.util.Arrays.copyOfRange(a, 8, 24)).isNotEqualTo(java.util.Arrays.copyOfRange(b, 8, 24));
        assertThat(java.util.Arrays.copyOfRange(a, 24, a.length)).isNotEqualTo(java.util.Arrays.copyOfRange(b, 24, b.length));
    }
}
