package io.causeway.conf.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProposalTest {

    @ParameterizedTest
    @ValueSource(strings = {"aes128-sha256-modp3072", "aes128-sha1-modp1024!", "3des-md5-modp768",
            "aes256gcm16-prfsha384-ecp384", "aes128gcm8-prfsha256-curve25519", "aes192-sha512-modp8192",
            "aes256-sha384-ecp521,aes128-sha256-modp2048s256!", "des-sha1-prfsha256-modp1536"})
    void ikeProposalsRoundTrip(String text) {
        List<Proposal> parsed = Proposal.parseIke(text);
        assertThat(Proposal.format(parsed)).isEqualTo(text);
        assertThat(Proposal.parseIke(Proposal.format(parsed))).isEqualTo(parsed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aes128-sha256", "aes128-sha1-modp1024!", "aes256gcm16-ecp384", "3des-md5",
            "aes128gcm12-esn", "aes256-sha512-modp4096-noesn"})
    void espProposalsRoundTrip(String text) {
        assertThat(Proposal.format(Proposal.parseEsp(text))).isEqualTo(text);
    }

    @Test
    void algorithmsCarryIanaTransformIds() {
        Proposal p = Proposal.parseIke("aes256-sha512-ecp256").get(0);
        assertThat(p.encryption().get(0)).isEqualTo(new Algorithm("aes256", TransformType.ENCR, 12, 256));
        assertThat(p.integrity().get(0).ianaId()).isEqualTo(14);
        assertThat(p.prf().get(0)).isEqualTo(new Algorithm("prfsha512", TransformType.PRF, 7, 0));
        assertThat(p.dhGroups().get(0).ianaId()).isEqualTo(19);
        Algorithm gcm = Proposal.parseEsp("aes192gcm12").get(0).encryption().get(0);
        assertThat(gcm.ianaId()).isEqualTo(19);
        assertThat(gcm.keyLengthBits()).isEqualTo(192);
        assertThat(gcm.icvLengthBytes()).isEqualTo(12);
        assertThat(Algorithms.named("3des").ianaId()).isEqualTo(3);
        assertThat(Algorithms.named("des").ianaId()).isEqualTo(2);
        assertThat(Algorithms.named("md5").ianaId()).isEqualTo(1);
        assertThat(Algorithms.named("sha384").ianaId()).isEqualTo(13);
        assertThat(Algorithms.named("modp2048s256").ianaId()).isEqualTo(24);
        assertThat(Algorithms.named("x25519").ianaId()).isEqualTo(31);
        assertThat(List.of("modp768", "modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "modp6144", "modp8192",
                "ecp384", "ecp521").stream().map(n -> Algorithms.named(n).ianaId()))
                .containsExactly(1, 2, 5, 14, 15, 16, 17, 18, 20, 21);
    }

    @Test
    void aliasesMapToCanonicalNames() {
        assertThat(Proposal.parseIke("aes-sha-modp1024").get(0)).hasToString("aes128-sha1-modp1024");
        assertThat(Proposal.parseIke("aes128-sha2_256-x25519").get(0)).hasToString("aes128-sha256-curve25519");
        assertThat(Proposal.parseEsp("aes256gcm128").get(0)).hasToString("aes256gcm16");
        assertThat(Proposal.parseEsp("aes128gcm64").get(0).encryption().get(0).ianaId()).isEqualTo(18);
        assertThat(Proposal.parseEsp("aes128gcm96").get(0).encryption().get(0).ianaId()).isEqualTo(19);
    }

    @Test
    void integrityImpliesPrfInIke() {
        Proposal p = Proposal.parseIke("aes128-sha256-modp3072").get(0);
        assertThat(p.prf()).extracting(Algorithm::name).containsExactly("prfsha256");
        assertThat(p.integrity()).extracting(Algorithm::name).containsExactly("sha256");
    }

    @Test
    void gcmIkeProposalTakesPrfFromIntegrityName() {
        Proposal p = Proposal.parseIke("aes128gcm16-sha256-ecp256").get(0);
        assertThat(p.integrity()).isEmpty();
        assertThat(p.prf()).extracting(Algorithm::name).containsExactly("prfsha256");
        assertThat(p).hasToString("aes128gcm16-prfsha256-ecp256");
        assertThat(p.aead()).isTrue();
    }

    @Test
    void dhGroupInEspMeansPfs() {
        assertThat(Proposal.parseEsp("aes128-sha1-modp1024").get(0).pfs()).isTrue();
        assertThat(Proposal.parseEsp("aes128-sha1").get(0).pfs()).isFalse();
    }

    @Test
    void strictOnlyAtTheEnd() {
        assertThat(Proposal.parseEsp("aes128-sha1,3des-md5!")).allMatch(Proposal::strict);
        assertThat(Proposal.parseEsp("aes128-sha1")).noneMatch(Proposal::strict);
        assertThatThrownBy(() -> Proposal.parseEsp("aes128-sha1!,3des-md5"))
                .hasMessageContaining("'!' (strict) is only allowed once, at the very end");
    }

    @Test
    void unknownAlgorithmNamesTheAllowedOnes() {
        assertThatThrownBy(() -> Proposal.parseEsp("aes129-sha1"))
                .isInstanceOf(InvalidProposalException.class)
                .hasMessageStartingWith("unknown algorithm 'aes129' (allowed: des, 3des, aes128, aes192, aes256, aes128gcm8,")
                .hasMessageContaining("modp2048s256");
    }

    @Test
    void everyProblemOfAProposalIsListed() {
        var e = (InvalidProposalException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Proposal.parseIke("aes129-sha1-modp1024,aes128-sha1,aes128-modp1024"));
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems().get(1)).isEqualTo("'aes128-sha1' has no DH group (e.g. modp3072, ecp256); IKE needs one");
        assertThat(e.problems().get(2)).startsWith("'aes128-modp1024' has no PRF");
        assertThat(e.problems().get(3)).startsWith("'aes128-modp1024' has no integrity algorithm");
    }

    @Test
    void structuralErrors() {
        assertThatThrownBy(() -> Proposal.parseEsp("aes128")).hasMessageContaining("has no integrity algorithm");
        assertThatThrownBy(() -> Proposal.parseEsp("aes128-prfsha1-sha1")).hasMessageContaining("only applies to ike proposals");
        assertThatThrownBy(() -> Proposal.parseIke("aes128gcm16-aes128-sha1-modp2048")).hasMessageContaining("mixes AEAD");
        assertThatThrownBy(() -> Proposal.parseIke("aes128gcm16-ecp256")).hasMessageContaining("has no PRF");
        assertThatThrownBy(() -> Proposal.parseIke("sha1-modp1024")).hasMessageContaining("has no encryption algorithm");
        assertThatThrownBy(() -> Proposal.parseIke("")).hasMessageContaining("empty proposal");
    }
}
