package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.esp.encap.RawEsp;
import io.causeway.esp.encap.UdpEncap;
import io.causeway.esp.testing.Hex;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void suiteNamesRoundTripAndSizesFollowTheRfcs() {
        for (String name : new String[] {"aes128gcm16", "aes192gcm12", "aes256gcm8", "aes128-sha256", "aes256-sha1",
                "aes192-sha384", "aes256-sha512", "aes128-md5", "3des-sha1", "des-md5", "aes128"}) {
            assertThat(EspSuite.parse(name).name()).isEqualTo(name);
        }
        EspSuite gcm = EspSuite.parse("aes256gcm16");
        assertThat(gcm.encKeyBytes()).isEqualTo(36); // RFC 4106 8.1: 32-byte key + 4-byte salt
        assertThat(gcm.ivBytes()).isEqualTo(8);
        assertThat(gcm.blockBytes()).isEqualTo(4);
        assertThat(gcm.integKeyBytes()).isZero();
        assertThat(gcm.aead()).isTrue();
        EspSuite cbc = EspSuite.parse("aes128-sha512");
        assertThat(cbc.icvBytes()).isEqualTo(32); // RFC 4868: HMAC-SHA-512-256
        assertThat(cbc.integKeyBytes()).isEqualTo(64);
        assertThat(cbc.ivBytes()).isEqualTo(16);
        EspSuite des3 = EspSuite.parse("3des-sha1");
        assertThat(des3.encKeyBytes()).isEqualTo(24);
        assertThat(des3.blockBytes()).isEqualTo(8);
        assertThat(EspSuite.parse("aes256gcm").icvBytes()).isEqualTo(16);
        assertThatThrownBy(() -> EspSuite.parse("aes128gcm10")).hasMessageContaining("8, 12 or 16");
        assertThatThrownBy(() -> EspSuite.parse("blowfish-sha1")).hasMessageContaining("unknown ESP suite");
        assertThatThrownBy(() -> EspSuite.parse("aes128-sha3")).hasMessageContaining("unknown ESP integrity");
    }

    @Test
    void keysNeverAppearInStrings() {
        SaKeys keys = new SaKeys(Hex.bytes("00112233445566778899aabbccddeeff"), Hex.bytes("cafebabe"));
        SaConfig cfg = SaConfig.builder(1, EspSuite.parse("aes128-sha1"), keys).build();
        assertThat(keys.toString()).doesNotContainIgnoringCase("00112233").doesNotContainIgnoringCase("cafebabe").contains("redacted");
        assertThat(cfg.toString()).doesNotContainIgnoringCase("00112233").doesNotContainIgnoringCase("cafebabe");
        assertThatThrownBy(() -> new OutboundSa(cfg)).hasMessageContaining("20 bytes of integrity key, got 4")
                .hasMessageNotContaining("cafebabe");
    }

    @Test
    void udpEncapsulationFraming() {
        byte[] ike = Hex.bytes("00000000 a1b2c3d4e5f60718");
        byte[] esp = Hex.bytes("c0ffee00 00000001 1122334455667788");
        assertThat(UdpEncap.isNonEspMarker(ike, 0, ike.length)).isTrue();
        assertThat(UdpEncap.isEsp(ike, 0, ike.length)).isFalse();
        assertThat(UdpEncap.isNonEspMarker(esp, 0, esp.length)).isFalse();
        assertThat(UdpEncap.isEsp(esp, 0, esp.length)).isTrue();
        assertThat(UdpEncap.isKeepalive(new byte[] {(byte) 0xFF}, 0, 1)).isTrue();
        assertThat(UdpEncap.isKeepalive(new byte[] {(byte) 0xFF, 0}, 0, 2)).isFalse();
        assertThat(UdpEncap.isNonEspMarker(new byte[3], 0, 3)).isFalse();
        assertThat(UdpEncap.PORT).isEqualTo(4500);
    }

    @Test
    void rawSocketIpv4HeaderIsSkipped() {
        byte[] pkt = Hex.bytes("46000030 00000000 4032 0000 0a000001 0a000002 00000000 c0ffee00 00000001 0000000000000000");
        assertThat(RawEsp.skipIpv4Header(pkt, 0, pkt.length)).isEqualTo(24); // IHL 6: 4 bytes of options
        pkt[9] = 17;
        assertThat(RawEsp.skipIpv4Header(pkt, 0, pkt.length)).isEqualTo(-1);
        assertThat(RawEsp.skipIpv4Header(pkt, 0, 10)).isEqualTo(-1);
    }

    @Test
    void overheadCoversEveryByteSealAdds() {
        EspSuite cbc = EspSuite.parse("aes256-sha512");
        // 20 IPv4 + 8 UDP + 8 ESP + 16 IV + 15 max padding + 2 trailer + 32 ICV
        assertThat(EspOverhead.worstCase(cbc, false, true)).isEqualTo(101);
        // 40 IPv6 + 8 ESP + 8 IV + 3 max padding + 2 trailer + 16 ICV
        assertThat(EspOverhead.worstCase(EspSuite.parse("aes128gcm16"), true, false)).isEqualTo(77);
        for (EspSuite s : io.causeway.esp.testing.Sas.allSuites()) {
            int inner = EspOverhead.maxInner(1500, s, false, true);
            OutboundSa sa = new OutboundSa(io.causeway.esp.testing.Sas.config(s, CryptoProvider.JCE).build());
            byte[] buf = new byte[2000];
            buf[sa.headroom()] = 0x45;
            assertThat(20 + 8 + sa.seal(buf, 0, inner, 4)).as(s.name()).isLessThanOrEqualTo(1500);
            assertThat(20 + 8 + sa.seal(buf, 0, inner + 1, 4)).as(s.name()).isGreaterThan(1500);
            assertThat(inner + EspOverhead.worstCase(s, false, true)).isGreaterThanOrEqualTo(1500);
        }
    }
}
