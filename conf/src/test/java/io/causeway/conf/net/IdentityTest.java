package io.causeway.conf.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void classifiesLikeStrongSwan() {
        assertThat(Identity.parse("1.2.3.4")).isEqualTo(new Identity(IdType.IPV4_ADDR, "1.2.3.4"));
        assertThat(Identity.parse("2001:db8::1").type()).isEqualTo(IdType.IPV6_ADDR);
        assertThat(Identity.parse("vpn.example.com")).isEqualTo(new Identity(IdType.FQDN, "vpn.example.com"));
        assertThat(Identity.parse("@bratwurst")).isEqualTo(new Identity(IdType.FQDN, "bratwurst"));
        assertThat(Identity.parse("alice@example.com").type()).isEqualTo(IdType.RFC822_ADDR);
        assertThat(Identity.parse("@#0A1B")).isEqualTo(new Identity(IdType.KEY_ID, "0a1b"));
        assertThat(Identity.parse("%any").isAny()).isTrue();
    }

    @Test
    void printsBackInConfigSyntax() {
        assertThat(Identity.parse("@#0a1b")).hasToString("@#0a1b");
        assertThat(Identity.parse("@1.2.3.4")).hasToString("@1.2.3.4");
        assertThat(Identity.parse("@bratwurst")).hasToString("bratwurst");
    }

    @Test
    void rejectsWhatPskCannotUse() {
        assertThatThrownBy(() -> Identity.parse("C=CH, O=Example")).hasMessageContaining("distinguished name");
        assertThatThrownBy(() -> Identity.parse("@#abc")).hasMessageContaining("even number of hex digits");
    }

    @Test
    void peerAddressRules() {
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("224.0.0.5").orElseThrow())).contains("is a multicast address (224.0.0.0/4)");
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("127.0.0.1").orElseThrow())).isPresent();
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("169.254.1.1").orElseThrow())).isPresent();
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("255.255.255.255").orElseThrow())).contains("is the broadcast address");
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("::1").orElseThrow())).isPresent();
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("ff02::1").orElseThrow())).isPresent();
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("fe80::1").orElseThrow())).isPresent();
        assertThat(PeerAddressRule.whyNotAPeer(IpLiteral.parse("106.75.234.78").orElseThrow())).isEmpty();
        assertThat(PeerAddressRule.classfulWarning(IpLiteral.parse("192.168.1.255").orElseThrow())).isPresent();
        assertThat(PeerAddressRule.classfulWarning(IpLiteral.parse("192.168.1.254").orElseThrow())).isEmpty();
    }
}
