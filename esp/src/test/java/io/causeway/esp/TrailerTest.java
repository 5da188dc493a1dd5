package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.crypto.EspTransform;
import io.causeway.esp.crypto.Transforms;
import io.causeway.esp.packet.Bytes;
import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentic packets whose decrypted trailer or payload is wrong (RFC 4303 2.4-2.6, 3.4.4). */
class TrailerTest {

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16", "aes128-sha256", "3des-sha1"})
    void nonMonotonicPaddingIsRejected(String suite) {
        byte[] inner = Packets.udp("10.0.0.1", "10.0.0.2", 20);
        byte[] esp = craft(suite, inner, true, 4);
        assertThat(open(suite, esp, EspMode.TUNNEL)).isEqualTo(DropReason.BAD_PADDING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16", "aes128-sha256"})
    void padLengthBeyondThePayloadIsRejected(String suite) {
        byte[] pt = new byte[EspSuite.parse(suite).blockBytes()];
        pt[pt.length - 2] = (byte) 200; // pad length larger than the whole payload
        pt[pt.length - 1] = 4;
        byte[] bad = craftRaw(suite, pt);
        assertThat(open(suite, bad, EspMode.TUNNEL)).isEqualTo(DropReason.BAD_PADDING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16", "aes256-sha1"})
    void tunnelModeRefusesOtherNextHeaders(String suite) {
        byte[] inner = Packets.udp("10.0.0.1", "10.0.0.2", 20);
        assertThat(open(suite, craft(suite, inner, false, 17), EspMode.TUNNEL)).isEqualTo(DropReason.BAD_NEXT_HEADER);
        assertThat(open(suite, craft(suite, inner, false, 41), EspMode.TUNNEL)).as("v4 packet says v6")
                .isEqualTo(DropReason.MALFORMED);
        assertThat(open(suite, craft(suite, inner, false, 17), EspMode.TRANSPORT)).isEqualTo(DropReason.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16", "aes128-sha256"})
    void dummyPacketsAreDroppedSilentlyAndCounted(String suite) {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse(suite), CryptoProvider.JCE);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        byte[] dummy = Wire.seal(out, new byte[37], 59);
        byte[] real = Wire.seal(out, Packets.udp("10.0.0.1", "10.0.0.2", 20), 4);
        Opened o = new Opened();

        assertThat(in.open(dummy, 0, dummy.length, o)).isEqualTo(DropReason.DUMMY);
        assertThat(in.open(real, 0, real.length, o)).isEqualTo(DropReason.NONE);
        assertThat(in.counters().dummyIn()).isEqualTo(1);
        assertThat(in.counters().packetsIn()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128gcm16", "aes128-sha256"})
    void truncatedPacketsAreMalformed(String suite) {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse(suite), CryptoProvider.JCE);
        InboundSa in = Sas.in(cfg);
        byte[] esp = Wire.seal(Sas.out(cfg), Packets.udp("10.0.0.1", "10.0.0.2", 20), 4);
        Opened o = new Opened();
        assertThat(in.open(esp, 0, 20, o)).isEqualTo(DropReason.MALFORMED);
        assertThat(in.open(esp, 0, 0, o)).isEqualTo(DropReason.MALFORMED);
        assertThat(in.open(esp, 0, esp.length + 1, o)).isEqualTo(DropReason.MALFORMED);
    }

    /** Seals through the transform, as a broken peer would: optionally with one wrong padding byte. */
    private static byte[] craft(String suite, byte[] inner, boolean corruptPadding, int nextHeader) {
        EspSuite s = EspSuite.parse(suite);
        int n = (inner.length + 2 + s.blockBytes() - 1) / s.blockBytes() * s.blockBytes() - inner.length - 2;
        byte[] pad = new byte[n];
        for (int i = 0; i < n; i++) {
            pad[i] = (byte) (i + 1);
        }
        if (corruptPadding) {
            pad[n - 1] = (byte) (n + 1);
        }
        byte[] pt = new byte[inner.length + pad.length + 2];
        System.arraycopy(inner, 0, pt, 0, inner.length);
        System.arraycopy(pad, 0, pt, inner.length, pad.length);
        pt[pt.length - 2] = (byte) pad.length;
        pt[pt.length - 1] = (byte) nextHeader;
        return craftRaw(suite, pt);
    }

    private static byte[] craftRaw(String suite, byte[] plaintext) {
        EspSuite s = EspSuite.parse(suite);
        byte[] pt = plaintext;
        if (pt.length % s.blockBytes() != 0) {
            throw new IllegalArgumentException("test plaintext must be block aligned");
        }
        byte[] esp = new byte[8 + s.ivBytes() + pt.length + s.icvBytes()];
        Bytes.writeInt(esp, 0, Sas.SPI);
        Bytes.writeInt(esp, 4, 1);
        System.arraycopy(pt, 0, esp, 8 + s.ivBytes(), pt.length);
        EspTransform t = Transforms.create(s, Sas.keys(s, 42), CryptoProvider.JCE, false);
        t.seal(esp, 0, pt.length, 0);
        return esp;
    }

    private static DropReason open(String suite, byte[] esp, EspMode mode) {
        InboundSa in = Sas.in(Sas.config(EspSuite.parse(suite), CryptoProvider.BOUNCY_CASTLE).mode(mode));
        return in.open(esp, 0, esp.length, new Opened());
    }
}
