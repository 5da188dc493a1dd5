package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Internally consistent tests: RFC 7296 2.6 leaves the cookie's hash and secret to the responder. */
class CookieGeneratorTest {
    private final byte[] ni = Hex.bytes("00112233445566778899aabbccddeeff");
    private final byte[] spiI = Hex.bytes("0102030405060708");
    private final InetAddress ip = InetAddress.getLoopbackAddress();

    @Test
    void cookieVerifiesOnlyForTheSameInitiator() throws Exception {
        CookieGenerator g = new CookieGenerator(new DeterministicRandomSource("c"), Duration.ofMinutes(5), 0);
        byte[] cookie = g.cookie(ni, ip, spiI);
        assertThat(cookie).hasSize(CookieGenerator.COOKIE_BYTES).startsWith(0, 0, 0, 0);
        assertThat(g.isValid(cookie, ni, ip, spiI)).isTrue();
        assertThat(g.isValid(cookie, ni, InetAddress.getByName("192.0.2.7"), spiI)).isFalse();
        assertThat(g.isValid(cookie, ni, ip, Hex.bytes("0102030405060709"))).isFalse();
        assertThat(g.isValid(cookie, Hex.bytes("00"), ip, spiI)).isFalse();
        byte[] flipped = cookie.clone();
        flipped[10] ^= 1;
        assertThat(g.isValid(flipped, ni, ip, spiI)).isFalse();
        assertThat(g.isValid(new byte[3], ni, ip, spiI)).isFalse();
    }

    @Test
    void previousSecretStaysValidForOneRotation() {
        CookieGenerator g = new CookieGenerator(new DeterministicRandomSource("c"), Duration.ofSeconds(60), 1_000);
        byte[] old = g.cookie(ni, ip, spiI);
        assertThat(g.rotateIfDue(30_000)).isFalse();
        assertThat(g.rotateIfDue(61_000)).isTrue();
        assertThat(g.version()).isEqualTo(1);
        byte[] fresh = g.cookie(ni, ip, spiI);
        assertThat(fresh).isNotEqualTo(old).startsWith(0, 0, 0, 1);
        assertThat(g.isValid(old, ni, ip, spiI)).isTrue();
        assertThat(g.isValid(fresh, ni, ip, spiI)).isTrue();
        g.rotate();
        assertThat(g.isValid(old, ni, ip, spiI)).isFalse();
        assertThat(g.isValid(fresh, ni, ip, spiI)).isTrue();
        assertThat(g.toString()).doesNotContain(Hex.of(fresh));
    }
}
