package io.causeway.esp.offload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {
    /** Linux include/uapi/linux/virtio_net.h: u8 flags, u8 gso_type, then four u16s, little-endian here. */
    @Test
    void decodesAndEncodesTheLittleEndianLayout() {
        byte[] b = {(byte) 0xAA, 1, 4, 0x42, 0x01, (byte) 0xA8, 0x05, 0x28, 0x00, 0x10, 0x00, (byte) 0xBB};
        VirtioNetHeader h = new VirtioNetHeader();

        h.decode(b, 1);

        assertThat(h.flags).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(h.gsoType).isEqualTo(VirtioNetHeader.GSO_TCPV6);
        assertThat(h.hdrLen).isEqualTo(0x0142);
        assertThat(h.gsoSize).isEqualTo(1448);
        assertThat(h.csumStart).isEqualTo(40);
        assertThat(h.csumOffset).isEqualTo(16);

        byte[] out = new byte[12];
        h.encode(out, 1);
        assertThat(out).containsExactly(0, 1, 4, 0x42, 0x01, (byte) 0xA8, 0x05, 0x28, 0x00, 0x10, 0x00, 0);
    }

    @Test
    void encodeNoneWritesTenZeroBytesAndNothingElse() {
        byte[] b = new byte[12];
        java.util.Arrays.fill(b, (byte) 0x5A);

        VirtioNetHeader.encodeNone(b, 1);

        assertThat(b).containsExactly(0x5A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5A);
    }
}
