package io.causeway.ike.v2.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaAndSelectorHelpersTest {

    @Test
    void ikeProposalsGoOutAndComeBackAsConfiguredAlgorithms() throws Exception {
        List<Proposal> configured = Proposal.parseIke("aes128-sha256-modp3072,aes256gcm16-prfsha384-ecp384,aes256-sha1-modp2048");
        SaPayload sa = SaPayload.of(configured, new byte[0]);
        SaPayload decoded = (SaPayload) PayloadChain.decodeInner(PayloadType.SA, PayloadChain.encode(List.of(sa))).get(0);
        assertThat(decoded).isEqualTo(sa);
        for (int i = 0; i < configured.size(); i++) {
            Proposal back = decoded.proposals().get(i).toConf().orElseThrow();
            assertThat(back.encryption()).isEqualTo(configured.get(i).encryption());
            assertThat(back.integrity()).isEqualTo(configured.get(i).integrity());
            assertThat(back.prf()).isEqualTo(configured.get(i).prf());
            assertThat(back.dhGroups()).isEqualTo(configured.get(i).dhGroups());
        }
    }

    @Test
    void espProposalGetsMandatoryEsnTransformAndSpi() {
        SaProposal p = SaProposal.of(1, Proposal.parseEsp("aes128-sha256").get(0), new byte[] {1, 2, 3, 4});
        assertThat(p.protocolId()).isEqualTo(SaProposal.PROTOCOL_ESP);
        assertThat(p.transformsOf(Transform.TYPE_ESN)).containsExactly(Transform.of(Transform.TYPE_ESN, 0, 0));
        assertThat(p.spiValue()).contains(0x01020304L);
        assertThat(p.toConf().orElseThrow().toString()).isEqualTo("aes128-sha256-noesn");
    }

    @Test
    void unknownTransformsStayUnmatchableAndUnknownTypesMakeTheProposalUnusable() {
        SaProposal unknownId = new SaProposal(1, 1, new byte[0], List.of(Transform.of(1, 99, 0), Transform.of(2, 5, 0),
                Transform.of(4, 14, 0)));
        assertThat(unknownId.toConf().orElseThrow().encryption().get(0).name()).isEqualTo("encr#99");
        SaProposal unknownType = new SaProposal(1, 1, new byte[0], List.of(Transform.of(6, 1, 0)));
        assertThat(unknownType.toConf()).isEmpty();
    }

    @Test
    void prefixChecks() throws Exception {
        AddressRangeSelector range = new AddressRangeSelector(0, 0, 65535, ip("10.0.0.0"), ip("10.0.0.255"));
        assertThat(range.asPrefix()).contains(Subnet.parse("10.0.0.0/24"));
        assertThat(new AddressRangeSelector(0, 0, 65535, ip("10.0.0.1"), ip("10.0.0.255")).asPrefix()).isEmpty();
        assertThat(new AddressRangeSelector(0, 0, 65535, ip("10.0.0.0"), ip("10.0.0.254")).asPrefix()).isEmpty();
        assertThat(new AddressRangeSelector(0, 0, 65535, ip("10.0.0.5"), ip("10.0.0.5")).asPrefix())
                .contains(Subnet.parse("10.0.0.5/32"));
        assertThat(new AddressRangeSelector(0, 0, 65535, ip("0.0.0.0"), ip("255.255.255.255")).asPrefix())
                .contains(Subnet.parse("0.0.0.0/0"));
        assertThat(new AddressRangeSelector(0, 0, 65535, ip("::"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).asPrefix())
                .contains(Subnet.parse("::/0"));
        assertThat(new AddressRangeSelector(0, 0, 65535, ip("10.0.0.9"), ip("10.0.0.1")).isEmpty()).isTrue();
    }

    @Test
    void rangesSplitIntoTheFewestPrefixes() throws Exception {
        AddressRangeSelector range = new AddressRangeSelector(6, 80, 80, ip("10.0.0.1"), ip("10.0.0.6"));
        assertThat(range.toPrefixes()).extracting(Subnet::toString)
                .containsExactly(Subnet.parse("10.0.0.1/32[tcp/80]").toString(), Subnet.parse("10.0.0.2/31[tcp/80]").toString(),
                        Subnet.parse("10.0.0.4/31[tcp/80]").toString(), Subnet.parse("10.0.0.6/32[tcp/80]").toString());
        assertThat(AddressRangeSelector.of(Subnet.parse("2001:db8::/32")).toPrefixes()).containsExactly(Subnet.parse("2001:db8::/32"));
    }

    @Test
    void subnetWithProtocolAndPort() throws Exception {
        AddressRangeSelector s = AddressRangeSelector.of(Subnet.parse("192.0.2.0/25[udp/500]"));
        assertThat(s.ipProtocolId()).isEqualTo(17);
        assertThat(s.startPort()).isEqualTo(500);
        assertThat(s.endPort()).isEqualTo(500);
        assertThat(s.end()).isEqualTo(InetAddress.getByName("192.0.2.127"));
        assertThat(s.asPrefix()).contains(Subnet.parse("192.0.2.0/25[udp/500]"));
    }

    private static byte[] ip(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }

    /** Found by TrafficSelectorNarrowingFuzzTest: the range turned IPv4 under its /120 and threw. */
    @Test
    void anIpv4MappedIpv6RangeStaysIpv6InItsPrefixesAndText() {
        byte[] start = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 0, 0};
        byte[] end = start.clone();
        end[15] = (byte) 0xff;
        AddressRangeSelector range = new AddressRangeSelector(0, 0, 65535, start, end);
        List<Subnet> prefixes = range.toPrefixes();
        assertThat(prefixes).hasSize(1);
        assertThat(prefixes.get(0).isIpv4()).isFalse();
        assertThat(prefixes.get(0).prefixLength()).isEqualTo(120);
        assertThat(range.start().getAddress()).isEqualTo(start);
        assertThat(range).hasToString("::ffff:a01:0/120");
    }
}
