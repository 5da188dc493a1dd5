package io.causeway.ike.proposal;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.EspSuite;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProposalSelectorTest {
    private static Optional<String> choose(String ours, String theirs, boolean ike) {
        List<Proposal> a = ike ? Proposal.parseIke(ours) : Proposal.parseEsp(ours);
        List<Proposal> b = ike ? Proposal.parseIke(theirs) : Proposal.parseEsp(theirs);
        return ProposalSelector.select(a, b, false).map(Proposal::toString);
    }

    @Test
    void configuredOrderWinsOverTheOfferedOrder() {
        assertThat(choose("aes256-sha256-modp2048,aes128-sha1-modp1024", "aes128-sha1-modp1024,aes256-sha256-modp2048", true))
                .contains("aes256-sha256-modp2048");
    }

    @Test
    void oneTransformPerTypeFromAMultiAlgorithmOffer() {
        // a strongSwan-style offer listing several algorithms per type in one proposal
        assertThat(choose("aes128-sha256-ecp256", "aes256-aes128-sha384-sha256-modp3072-ecp256", true))
                .contains("aes128-sha256-ecp256");
    }

    @Test
    void keyLengthMustMatch() {
        assertThat(choose("aes128-sha256-modp2048", "aes256-sha256-modp2048", true)).isEmpty();
    }

    @Test
    void ikeNeedsACommonDhGroup() {
        assertThat(choose("aes128-sha256-modp3072", "aes128-sha256-modp2048", true)).isEmpty();
    }

    @Test
    void aeadNeedsNoIntegrityButIkeStillNeedsAPrf() {
        assertThat(choose("aes256gcm16-prfsha384-ecp384", "aes256gcm16-prfsha384-ecp384", true))
                .contains("aes256gcm16-prfsha384-ecp384");
        assertThat(choose("aes256gcm16-prfsha384-ecp384", "aes256gcm16-prfsha256-ecp384", true)).isEmpty();
    }

    @Test
    void espPfsMustAgreeUnlessDhIsIgnoredForTheFirstChildSa() {
        assertThat(choose("aes128-sha1-modp2048", "aes128-sha1", false)).isEmpty();
        assertThat(ProposalSelector.select(Proposal.parseEsp("aes128-sha1-modp2048"), Proposal.parseEsp("aes128-sha1"), true))
                .isPresent();
        assertThat(choose("aes128gcm16", "aes128gcm16", false)).contains("aes128gcm16-noesn");
    }

    @Test
    void esnIsNegotiatedWithNoEsnAsTheDefault() {
        assertThat(choose("aes128gcm16-esn", "aes128gcm16", false)).isEmpty();
        assertThat(choose("aes128gcm16-esn-noesn", "aes128gcm16", false)).contains("aes128gcm16-noesn");
        assertThat(choose("aes128gcm16-esn", "aes128gcm16-noesn-esn", false)).contains("aes128gcm16-esn");
    }

    @Test
    void theInitiatorAcceptsOnlyWhatItOffered() {
        List<Proposal> ours = Proposal.parseIke("aes128-sha256-modp3072,aes256gcm16-prfsha384-ecp384");
        Proposal chosen = ProposalSelector.select(ours, Proposal.parseIke("aes256gcm16-prfsha384-ecp384"), false).orElseThrow();
        assertThat(ProposalSelector.accepts(ours, chosen, false)).isTrue();
        assertThat(ProposalSelector.accepts(ours, Proposal.parseIke("aes256-sha256-modp3072").get(0), false)).isFalse();
    }

    @Test
    void chosenEspProposalsMapToDataPathSuites() {
        assertThat(suite("aes128gcm16")).isEqualTo(EspSuite.parse("aes128gcm16"));
        assertThat(suite("aes256gcm8")).isEqualTo(EspSuite.parse("aes256gcm8"));
        assertThat(suite("aes256-sha512")).isEqualTo(EspSuite.parse("aes256-sha512"));
        assertThat(suite("3des-sha1")).isEqualTo(EspSuite.parse("3des-sha1"));
        assertThat(suite("des-md5")).isEqualTo(EspSuite.parse("des-md5"));
        assertThat(EspSuites.esn(chosen("aes128gcm16-esn"))).isTrue();
    }

    private static Proposal chosen(String esp) {
        return ProposalSelector.select(Proposal.parseEsp(esp), Proposal.parseEsp(esp), false).orElseThrow();
    }

    private static EspSuite suite(String esp) {
        return EspSuites.of(chosen(esp));
    }
}
