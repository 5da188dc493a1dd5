package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.SaKeys;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CHILD_SA KEYMAT against strongSwan 5.9.8 runs (test resources crypto/strongswan-*.txt). */
class ChildKeyDerivationTest {

    @ParameterizedTest(name = "strongSwan capture {0}: IKE_AUTH child")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void firstChildSaKeysMatchStrongSwan(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        ChildSaKeys keys = ChildKeyDerivation.derive(x.ike().prf(), x.get("sk_d"), null, x.get("ni"), x.get("nr"),
                x.esp());
        assertKeys(keys, x, "child1_");
    }

    @ParameterizedTest(name = "strongSwan capture {0}: CHILD_SA rekeyed with PFS")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void pfsRekeyedChildSaKeysMatchStrongSwan(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        ChildSaKeys keys = ChildKeyDerivation.derive(x.ike().prf(), x.get("sk_d"), x.get("rekey_child_gir"),
                x.get("rekey_child_ni"), x.get("rekey_child_nr"), x.esp());
        assertKeys(keys, x, "child2_");
    }

    private static void assertKeys(ChildSaKeys keys, CapturedExchange x, String prefix) {
        SaKeys i2r = keys.initiatorToResponder();
        SaKeys r2i = keys.responderToInitiator();
        assertThat(Hex.of(i2r.encKey())).isEqualTo(Hex.of(x.get(prefix + "encr_i")));
        assertThat(Hex.of(r2i.encKey())).isEqualTo(Hex.of(x.get(prefix + "encr_r")));
        if (x.esp().aead()) {
            assertThat(i2r.integKey()).isEmpty();
            assertThat(r2i.integKey()).isEmpty();
        } else {
            assertThat(Hex.of(i2r.integKey())).isEqualTo(Hex.of(x.get(prefix + "integ_i")));
            assertThat(Hex.of(r2i.integKey())).isEqualTo(Hex.of(x.get(prefix + "integ_r")));
        }
        assertThat(keys.outbound(true)).isEqualTo(i2r);
        assertThat(keys.inbound(true)).isEqualTo(r2i);
        assertThat(keys.outbound(false)).isEqualTo(r2i);
        assertThat(keys.toString()).contains("redacted");
    }
}
