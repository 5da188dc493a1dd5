package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplayTest {
    private final byte[] inner = Packets.udp("10.0.0.1", "10.0.0.2", 40);

    @ParameterizedTest
    @ValueSource(ints = {32, 1024, 4096})
    void windowAcceptsLateButFreshPacketsAndRejectsReplaysAndStragglers(int window) {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128gcm16"), CryptoProvider.JCE).replayWindow(window);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        int n = window * 2;
        byte[][] packets = new byte[n + 1][];
        for (int seq = 1; seq <= n; seq++) {
            packets[seq] = Wire.seal(out, inner, 4);
        }
        Opened o = new Opened();

        assertThat(open(in, packets[n], o)).isEqualTo(DropReason.NONE);
        assertThat(open(in, packets[n], o)).as("same packet twice").isEqualTo(DropReason.REPLAY);
        assertThat(open(in, packets[n - window + 1], o)).as("oldest in window").isEqualTo(DropReason.NONE);
        assertThat(open(in, packets[n - window], o)).as("just outside window").isEqualTo(DropReason.REPLAY);
        assertThat(open(in, packets[1], o)).as("far outside window").isEqualTo(DropReason.REPLAY);
        assertThat(open(in, packets[n - 1], o)).as("late, inside window").isEqualTo(DropReason.NONE);
        assertThat(open(in, packets[n - 1], o)).isEqualTo(DropReason.REPLAY);
        assertThat(in.counters().drops(DropReason.REPLAY)).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 1024})
    void windowIsNotMovedByForgedPackets(int window) {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128-sha256"), CryptoProvider.JCE).replayWindow(window);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        byte[] first = Wire.seal(out, inner, 4);
        byte[] forged = first.clone();
        forged[7] = (byte) 200; // claims sequence 200; the ICV will not verify
        Opened o = new Opened();

        assertThat(open(in, forged, o)).isEqualTo(DropReason.AUTH_FAILED);
        assertThat(in.highestSequence()).isZero();
        assertThat(open(in, first, o)).isEqualTo(DropReason.NONE);
    }

    private static DropReason open(InboundSa in, byte[] packet, Opened o) {
        byte[] copy = packet.clone();
        return in.open(copy, 0, copy.length, o);
    }
}
