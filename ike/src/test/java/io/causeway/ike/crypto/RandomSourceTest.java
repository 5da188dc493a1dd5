package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RandomSourceTest {

    @Test
    void deterministicSourceRepeatsForTheSameSeedWhateverTheChunking() {
        byte[] whole = new DeterministicRandomSource("seed").nextBytes(100);
        DeterministicRandomSource chunked = new DeterministicRandomSource("seed");
        byte[] a = chunked.nextBytes(7);
        byte[] b = chunked.nextBytes(93);
        assertThat(Octets.concat(a, b)).isEqualTo(whole);
        assertThat(new DeterministicRandomSource("other").nextBytes(100)).isNotEqualTo(whole);
    }

    @Test
    void secureSourceFills() {
        assertThat(new SecureRandomSource().nextBytes(32)).isNotEqualTo(new byte[32]);
    }
}
