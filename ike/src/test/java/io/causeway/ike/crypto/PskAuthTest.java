package io.causeway.ike.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PSK AUTH payloads of strongSwan 5.9.8 runs (test resources crypto/strongswan-*.txt; PSK "causeway test psk"). */
class PskAuthTest {
    private static final byte[] PSK = "causeway test psk".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void signedOctetsMatchStrongSwan(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        PrfAlgorithm prf = x.ike().prf();
        assertThat(Hex.of(SignedOctets.of(prf, x.get("message1"), x.get("nr"), x.get("id_i_body"), x.get("sk_pi"))))
                .isEqualTo(Hex.of(x.get("signed_octets_i")));
        assertThat(Hex.of(SignedOctets.of(prf, x.get("message2"), x.get("ni"), x.get("id_r_body"), x.get("sk_pr"))))
                .isEqualTo(Hex.of(x.get("signed_octets_r")));
    }

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void authDataOfBothSidesMatchStrongSwan(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        PrfAlgorithm prf = x.ike().prf();
        assertThat(Hex.of(PskAuth.authData(prf, PSK, x.get("message1"), x.get("nr"), x.get("id_i_body"),
                x.get("sk_pi")))).isEqualTo(Hex.of(x.get("auth_i")));
        assertThat(Hex.of(PskAuth.authData(prf, PSK, x.get("message2"), x.get("ni"), x.get("id_r_body"),
                x.get("sk_pr")))).isEqualTo(Hex.of(x.get("auth_r")));
    }

    @ParameterizedTest(name = "strongSwan capture {0}")
    @ValueSource(strings = {"cbc-modp2048", "gcm-ecp384", "gcm-curve25519"})
    void responderVerifiesTheInitiatorsAuthAndRejectsChanges(String name) {
        CapturedExchange x = CapturedExchange.named(name);
        PrfAlgorithm prf = x.ike().prf();
        byte[] auth = x.get("auth_i");
        assertThat(PskAuth.verify(prf, PSK, x.get("message1"), x.get("nr"), x.get("id_i_body"), x.get("sk_pi"), auth))
                .isTrue();
        byte[] flipped = auth.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThat(PskAuth.verify(prf, PSK, x.get("message1"), x.get("nr"), x.get("id_i_body"), x.get("sk_pi"),
                flipped)).isFalse();
        assertThat(PskAuth.verify(prf, "wrong psk".getBytes(StandardCharsets.US_ASCII), x.get("message1"), x.get("nr"),
                x.get("id_i_body"), x.get("sk_pi"), auth)).isFalse();
        // the responder's ID in place of the initiator's: a reflected AUTH must not verify
        assertThat(PskAuth.verify(prf, PSK, x.get("message1"), x.get("nr"), x.get("id_r_body"), x.get("sk_pi"), auth))
                .isFalse();
        assertThat(PskAuth.verify(prf, PSK, x.get("message1"), x.get("nr"), x.get("id_i_body"), x.get("sk_pi"),
                java.util.Arrays.copyOf(auth, auth.length - 1))).isFalse();
    }
}
