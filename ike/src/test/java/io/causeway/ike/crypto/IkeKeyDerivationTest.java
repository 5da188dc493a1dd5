package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.conf.proposal.Algorithms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Known answers from strongSwan 5.9.8 runs (test resources crypto/strongswan-*.txt). */
class IkeKeyDerivationTest {

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void skeyseedAndSevenKeysMatchStrongSwan(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        byte[] skeyseed = IkeKeyDerivation.skeyseed(x.ike().prf(), x.get("ni"), x.get("nr"), x.get("gir"));
        assertThat(Hex.of(skeyseed)).isEqualTo(Hex.of(x.get("skeyseed")));

        IkeSaKeys keys = IkeKeyDerivation.deriveInitial(x.ike(), x.get("gir"), x.get("ni"), x.get("nr"),
                x.get("spi_i"), x.get("spi_r"));
        assertKeys(keys, x, "");
    }

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void rekeyedIkeSaKeysMatchStrongSwan(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        byte[] skeyseed = IkeKeyDerivation.rekeySkeyseed(x.ike().prf(), x.get("sk_d"), x.get("rekey_ike_gir"),
                x.get("rekey_ike_ni"), x.get("rekey_ike_nr"));
        assertThat(Hex.of(skeyseed)).isEqualTo(Hex.of(x.get("rekey_ike_skeyseed")));

        IkeSaKeys keys = IkeKeyDerivation.deriveKeys(x.ike(), skeyseed, x.get("rekey_ike_ni"), x.get("rekey_ike_nr"),
                x.get("rekey_ike_spi_i"), x.get("rekey_ike_spi_r"));
        assertKeys(keys, x, "rekey_ike_");
    }

    private static void assertKeys(IkeSaKeys keys, CapturedExchange x, String prefix) {
        assertThat(Hex.of(keys.skD())).isEqualTo(Hex.of(x.get(prefix + "sk_d")));
        assertThat(Hex.of(keys.skAi())).isEqualTo(Hex.of(x.get(prefix + "sk_ai")));
        assertThat(Hex.of(keys.skAr())).isEqualTo(Hex.of(x.get(prefix + "sk_ar")));
        assertThat(Hex.of(keys.skEi())).isEqualTo(Hex.of(x.get(prefix + "sk_ei")));
        assertThat(Hex.of(keys.skEr())).isEqualTo(Hex.of(x.get(prefix + "sk_er")));
        assertThat(Hex.of(keys.skPi())).isEqualTo(Hex.of(x.get(prefix + "sk_pi")));
        assertThat(Hex.of(keys.skPr())).isEqualTo(Hex.of(x.get(prefix + "sk_pr")));
    }

    @Test
    void suiteKeyLengthsFollowRfc7296AndRfc5282() {
        IkeSuite gcm = IkeSuite.of(Algorithms.named("aes256gcm16"), null, Algorithms.named("prfsha384"));
        assertThat(gcm.encryptionKeyBytes()).isEqualTo(36);
        assertThat(gcm.integrityKeyBytes()).isZero();
        assertThat(gcm.prfKeyBytes()).isEqualTo(48);
        IkeSuite cbc = IkeSuite.of(Algorithms.named("3des"), Algorithms.named("sha1"), Algorithms.named("prfsha1"));
        assertThat(cbc.encryptionKeyBytes()).isEqualTo(24);
        assertThat(cbc.integrityKeyBytes()).isEqualTo(20);
        assertThatThrownBy(() -> IkeSuite.of(Algorithms.named("aes128"), null, Algorithms.named("prfsha1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysNeverPrintTheirBytes() {
        CapturedExchange x = CapturedExchange.AES_CBC_MODP2048;
        IkeSaKeys keys = IkeKeyDerivation.deriveInitial(x.ike(), x.get("gir"), x.get("ni"), x.get("nr"),
                x.get("spi_i"), x.get("spi_r"));
        assertThat(keys.toString()).contains("SK_d=<32 bytes redacted>").doesNotContain(Hex.of(keys.skD()).substring(0, 8));
    }
}
