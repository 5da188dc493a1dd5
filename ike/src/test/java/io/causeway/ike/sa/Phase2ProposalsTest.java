package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.v1.message.Attribute1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.TransformPayload1;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quick-mode SA payloads (RFC 2407 4.5): lifetimes in seconds and kilobytes, PFS group, encapsulation, choice. */
class Phase2ProposalsTest {
    private static List<Attribute1> attributes(SaPayload1 sa) {
        return sa.proposals().get(0).transforms().get(0).attributes();
    }

    @Test
    void lifetimesGoInSecondsAndKilobytesOfAThousandBytesTvUpTo0xffffElseTlv() {
        SaPayload1 offer = Phase2Proposals.offer(Proposal.parseEsp("aes128-sha1-modp1024"), 0x11223344,
                Phase2Proposals.UDP_TUNNEL, 100_000, 1_000_000);
        List<Attribute1> a = attributes(offer);
        assertThat(a).extracting(Attribute1::type).containsExactly(1, 2, 1, 2, 3, 4, 5, 6);
        assertThat(a.get(1).basic()).as("100000 s does not fit two octets").isFalse();
        assertThat(a.get(1).number()).isEqualTo(100_000);
        assertThat(a.get(2).number()).isEqualTo(Phase2Proposals.LIFE_KILOBYTES);
        assertThat(a.get(3).number()).isEqualTo(1_000);
        assertThat(a.get(3).basic()).isTrue();
        assertThat(a.get(4).number()).as("PFS group 2").isEqualTo(2);
        assertThat(a.get(5).number()).isEqualTo(Phase2Proposals.UDP_TUNNEL);
        assertThat(a.get(7).number()).as("AES key length").isEqualTo(128);
    }

    @Test
    void theResponderChoosesByItsOwnOrderAndReadsTheOfferedLifetimes() {
        SaPayload1 offer = Phase2Proposals.offer(Proposal.parseEsp("3des-md5,aes256-sha256"), 0x11223344,
                Phase2Proposals.TUNNEL, 28_800, 5_000_000);
        Phase2Proposals.Choice c = Phase2Proposals.select(Proposal.parseEsp("aes256-sha256,3des-md5"), offer).orElseThrow();
        assertThat(c.proposal()).hasToString("aes256-sha256-noesn");
        assertThat(c.peerSpi()).isEqualTo(0x11223344);
        assertThat(c.lifeSeconds()).isEqualTo(28_800);
        assertThat(c.lifeKilobytes()).isEqualTo(5_000);
        assertThat(c.pfsGroup()).isZero();
        TransformPayload1 answered = Phase2Proposals.answer(c, 0x55667788).proposals().get(0).transforms().get(0);
        assertThat(answered).as("answered with the transform's own numbers").isEqualTo(c.transform());
        assertThat(Phase2Proposals.select(Proposal.parseEsp("aes128gcm16"), offer)).isEmpty();
    }

    @Test
    void aTransformWithoutLifetimeLivesEightHours() {
        SaPayload1 offer = Phase2Proposals.offer(Proposal.parseEsp("aes128-sha1"), 0x11223344, Phase2Proposals.TUNNEL,
                3_600, 0);
        List<Attribute1> onlyCipher = attributes(offer).stream().filter(x -> x.type() >= 4).toList();
        TransformPayload1 t = offer.proposals().get(0).transforms().get(0);
        SaPayload1 bare = new SaPayload1(offer.doi(), offer.situation(), List.of(new io.causeway.ike.v1.message.ProposalPayload1(
                1, 3, offer.proposals().get(0).spi(), List.of(new TransformPayload1(t.number(), t.transformId(), onlyCipher)))));
        assertThat(Phase2Proposals.select(Proposal.parseEsp("aes128-sha1"), bare).orElseThrow().lifeSeconds())
                .isEqualTo(28_800);
    }
}
