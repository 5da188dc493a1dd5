package io.causeway.ike.v1.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.esp.EspSuite;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Attribute numbers of RFC 2409 Appendix A, RFC 2407 4.4.4 / 4.5, RFC 3602 5, RFC 4106 8, RFC 4868 (IANA registries). */
class V1AlgorithmsTest {

    @ParameterizedTest(name = "{0} is hash {1} of {2} bytes")
    @CsvSource({"md5, 1, 16", "sha1, 2, 20", "sha256, 4, 32", "sha384, 5, 48", "sha512, 6, 64"})
    void hashIdsFollowRfc2409AndRfc4868(String keyword, int id, int bytes) {
        V1Hash h = V1Hash.of(Algorithms.named(keyword));
        assertThat(h.id()).isEqualTo(id);
        assertThat(h.outputBytes()).isEqualTo(bytes);
        assertThat(V1Hash.forId(id)).contains(h);
        assertThat(h.integrity()).isEqualTo(Algorithms.named(keyword));
        assertThat(V1Hash.of(Algorithms.named("prf" + keyword))).isEqualTo(h);
        assertThat(h.hash(new byte[0])).hasSize(bytes);
        assertThat(h.prf(new byte[] {1}, new byte[0])).hasSize(bytes);
    }

    @Test
    void unknownHashesAreRefused() {
        assertThat(V1Hash.forId(3)).isEmpty(); // Tiger
        assertThat(V1Hash.forId(0)).isEmpty();
        assertThatThrownBy(() -> V1Hash.of(Algorithms.named("aes128"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> V1Hash.of(Algorithms.named("modp2048")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainHashAndHmacAreTheStandardOnes() {
        // RFC 1321 A.5 / FIPS 180 "abc" and RFC 2202 test case 2 (HMAC-SHA-1, key "Jefe")
        assertThat(V1Hash.MD5.hash("abc".getBytes())).isEqualTo(TestBytes.hex("900150983cd24fb0d6963f7d28e17f72"));
        assertThat(V1Hash.SHA1.hash("a".getBytes(), "bc".getBytes()))
                .isEqualTo(TestBytes.hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
        assertThat(V1Hash.SHA1.prf("Jefe".getBytes(), "what do ya want ".getBytes(), "for nothing?".getBytes()))
                .isEqualTo(TestBytes.hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    }

    @ParameterizedTest(name = "{0}: cipher {1}, key {2} bytes")
    @CsvSource({"des, 1, 8, 8", "3des, 5, 24, 8", "aes128, 7, 16, 16", "aes192, 7, 24, 16", "aes256, 7, 32, 16"})
    void phase1CipherIdsFollowRfc2409AndRfc3602(String keyword, int id, int keyBytes, int blockBytes) {
        Algorithm a = Algorithms.named(keyword);
        V1Cipher c = V1Cipher.of(a);
        assertThat(c.id()).isEqualTo(id);
        assertThat(c.blockBytes()).isEqualTo(blockBytes);
        assertThat(c.keyBytes(a.keyLengthBits())).isEqualTo(keyBytes);
        assertThat(V1Cipher.forId(id)).contains(c);
        assertThat(c.algorithm(a.keyLengthBits())).isEqualTo(a);
        assertThat(c.variableKeyLength()).isEqualTo(a.keyLengthBits() != 0);
    }

    @Test
    void aesWithoutKeyLengthIs128AndOddLengthsAreRefused() {
        assertThat(V1Cipher.AES_CBC.keyBytes(0)).isEqualTo(16);
        assertThat(V1Cipher.AES_CBC.algorithm(0)).isEqualTo(Algorithms.named("aes128"));
        assertThatThrownBy(() -> V1Cipher.AES_CBC.keyBytes(64)).isInstanceOf(IllegalArgumentException.class);
        assertThat(V1Cipher.TRIPLE_DES_CBC.keyBytes(192)).isEqualTo(24);
        assertThatThrownBy(() -> V1Cipher.TRIPLE_DES_CBC.keyBytes(128)).isInstanceOf(IllegalArgumentException.class);
        assertThat(V1Cipher.forId(2)).isEmpty(); // IDEA
    }

    @Test
    void gcmIsNotAPhase1Cipher() {
        assertThatThrownBy(() -> V1Cipher.of(Algorithms.named("aes128gcm16")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("phase 1");
        assertThatThrownBy(() -> V1Cipher.of(Algorithms.named("sha1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "ESP {0}: transform {1}, key length {2}")
    @CsvSource({"des, 2, 0", "3des, 3, 0", "aes128, 12, 128", "aes192, 12, 192", "aes256, 12, 256",
        "aes128gcm8, 18, 128", "aes192gcm12, 19, 192", "aes256gcm16, 20, 256", "aes128gcm16, 20, 128"})
    void espTransformIdsFollowRfc2407AndRfc4106(String keyword, int transformId, int keyBits) {
        Algorithm a = Algorithms.named(keyword);
        assertThat(V1EspAlgorithms.espTransformId(a)).isEqualTo(transformId);
        assertThat(V1EspAlgorithms.encryption(transformId, keyBits)).contains(a);
        assertThat(a.keyLengthBits()).isEqualTo(keyBits);
    }

    @Test
    void espEncryptionEdgeCases() {
        assertThat(V1EspAlgorithms.encryption(12, 0)).contains(Algorithms.named("aes128"));
        assertThat(V1EspAlgorithms.encryption(3, 192)).contains(Algorithms.named("3des"));
        assertThat(V1EspAlgorithms.encryption(3, 128)).isEmpty();
        assertThat(V1EspAlgorithms.encryption(20, 0)).isEmpty(); // RFC 4106 8: the Key Length must be given
        assertThat(V1EspAlgorithms.encryption(12, 512)).isEmpty();
        assertThat(V1EspAlgorithms.encryption(11, 0)).isEmpty(); // ESP_NULL is not offered
        assertThatThrownBy(() -> V1EspAlgorithms.espTransformId(Algorithms.named("sha1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "ESP integrity {0}: authentication algorithm {1}")
    @CsvSource({"md5, 1", "sha1, 2", "sha256, 5", "sha384, 6", "sha512, 7"})
    void authenticationAttributesFollowRfc2407AndRfc4868(String keyword, int attribute) {
        Algorithm a = Algorithms.named(keyword);
        assertThat(V1EspAlgorithms.authAttribute(a)).isEqualTo(attribute);
        assertThat(V1EspAlgorithms.integrity(attribute)).contains(a);
    }

    @Test
    void unknownAuthenticationAttributesAreEmpty() {
        assertThat(V1EspAlgorithms.integrity(3)).isEqualTo(Optional.empty()); // DES-MAC
        assertThat(V1EspAlgorithms.integrity(12)).isEmpty(); // an IKEv2 number, not an IKEv1 one
        assertThatThrownBy(() -> V1EspAlgorithms.authAttribute(Algorithms.named("prfsha1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mappedAlgorithmsMakeTheSameEspSuitesAsIkev2() {
        Algorithm encr = V1EspAlgorithms.encryption(12, 256).orElseThrow();
        Algorithm integ = V1EspAlgorithms.integrity(7).orElseThrow();
        EspSuite viaConf = EspSuite.parse(encr.name() + "-" + integ.name());
        assertThat(viaConf).isEqualTo(EspSuite.parse("aes256-sha512"));
        assertThat(Keymat.bytesFor(viaConf)).isEqualTo(32 + 64);
    }
}
