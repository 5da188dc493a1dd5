package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The nonce rule of RFC 7296 2.8.1/2.8.2. The nonces are made up for the cases (the RFC gives no example); the
 * comparison follows strongSwan's (unsigned octets over the shorter length).
 */
class RekeyCollisionTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void theExchangeHoldingTheLowestOfTheFourNoncesLoses() {
        byte[] a = hex("10"), b = hex("20"), c = hex("30"), d = hex("40");
        // ours: Ni=a, Nr=d; theirs: Ni=b, Nr=c -> the lowest (a) is in ours
        assertThat(RekeyCollision.ourExchangeLoses(a, d, b, c)).isTrue();
        // the peer sees the same two exchanges the other way round and wins
        assertThat(RekeyCollision.ourExchangeLoses(b, c, a, d)).isFalse();
        // the lowest may be a responder's nonce too
        assertThat(RekeyCollision.ourExchangeLoses(d, b, c, a)).isFalse();
        assertThat(RekeyCollision.ourExchangeLoses(c, a, d, b)).isTrue();
    }

    @Test
    void noncesCompareAsUnsignedOctets() {
        assertThat(RekeyCollision.compare(hex("80"), hex("7f"))).isPositive();
        assertThat(RekeyCollision.compare(hex("00ff"), hex("0100"))).isNegative();
        assertThat(RekeyCollision.ourExchangeLoses(hex("7f00"), hex("ff00"), hex("8000"), hex("ff01"))).isTrue();
    }

    @Test
    void onlyTheCommonPrefixCounts() {
        assertThat(RekeyCollision.compare(hex("0102"), hex("010203"))).isZero();
        // equal lower nonces: neither side loses by this rule (cannot happen with random 32-octet nonces)
        assertThat(RekeyCollision.ourExchangeLoses(hex("01"), hex("09"), hex("01"), hex("09"))).isFalse();
    }
}
