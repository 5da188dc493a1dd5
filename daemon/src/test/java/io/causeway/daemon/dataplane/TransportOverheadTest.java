package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.EspOverhead;
import io.causeway.esp.EspSuite;
import org.junit.jupiter.api.Test;

class TransportOverheadTest {
    @Test
    void transportModeCarriesOneIpHeaderMoreThanTunnelMode() {
        EspSuite gcm = EspSuite.parse("aes128gcm16");
        assertThat(TransportOverhead.maxInner(1500, gcm, false, true))
                .isEqualTo(EspOverhead.maxInner(1500, gcm, false, true) + 20);
        assertThat(TransportOverhead.maxInner(1500, gcm, true, false))
                .isEqualTo(EspOverhead.maxInner(1500, gcm, true, false) + 40);
    }

    @Test
    void largestTransportPacketFillsTheOuterMtuExactlyOrNearly() {
        // By hand (RFC 4303 2, RFC 3948 2.1): 1500 = outer IPv4 20 + UDP 8 + ESP 8 + IV 8 + ICV 16
        // + ciphertext; GCM pads to 4 bytes, so ciphertext 1440 = payload 1438 + pad length + next
        // header; the TUN packet is that payload plus its own 20-byte header: 1458.
        assertThat(TransportOverhead.maxInner(1500, EspSuite.parse("aes128gcm16"), false, true)).isEqualTo(1458);
    }
}
