package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwanSasParseTest {
    // Captured on the lab machine: strongSwan 5.9.8 with kernel-libipsec, configured by
    // SwanctlConf.westInitiator / eastResponder, `swanctl --list-sas` in west after initiating.
    private static final String WEST_ESTABLISHED = """
        s2s: #1, ESTABLISHED, IKEv2, f8daf7917bd27ff8_i* 1f08fea2dc757450_r
          local  'west.example' @ 192.0.2.1[4500]
          remote 'east.example' @ 192.0.2.2[4500]
          AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256
          established 0s ago, rekeying in 13251s
          net: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128
            installed 0s ago, rekeying in 3392s, expires in 3960s
            in  cb2043ab,      0 bytes,     0 packets
            out b5786533,      0 bytes,     0 packets
            local  10.1.0.0/24
            remote 10.2.0.0/24
        """;

    // West initiating while east runs no charon (captured the same way).
    private static final String WEST_CONNECTING = """
        s2s: #1, CONNECTING, IKEv2, 74774b4694ea7d18_i* 0000000000000000_r
          local  '%any' @ 192.0.2.1[500]
          remote '%any' @ 192.0.2.2[500]
          active:  IKE_VENDOR IKE_INIT IKE_NATD IKE_CERT_PRE IKE_AUTH IKE_CERT_POST IKE_CONFIG \
        IKE_AUTH_LIFETIME IKE_MOBIKE IKE_ESTABLISH CHILD_CREATE
        """;

    @Test
    void readsEstablishedIkeSaWithInstalledChild() {
        SwanSas sas = SwanSas.parse(WEST_ESTABLISHED);

        assertThat(sas.ikeSas()).hasSize(1);
        SwanSas.IkeSa ike = sas.ikeSas().get(0);
        assertThat(ike.name()).isEqualTo("s2s");
        assertThat(ike.uniqueId()).isEqualTo(1);
        assertThat(ike.state()).isEqualTo("ESTABLISHED");
        assertThat(ike.version()).isEqualTo(2);
        assertThat(ike.children()).containsExactly(
                new SwanSas.ChildSa("net", 1, "INSTALLED", "TUNNEL-in-UDP", "ESP:AES_GCM_16-128"));
        assertThat(sas.anyEstablished()).isTrue();
        assertThat(sas.established("net")).isTrue();
        assertThat(sas.established("other")).isFalse();
    }

    @Test
    void connectingIsNotEstablished() {
        SwanSas sas = SwanSas.parse(WEST_CONNECTING);

        assertThat(sas.ikeSas()).extracting(SwanSas.IkeSa::state).containsExactly("CONNECTING");
        assertThat(sas.ikeSas().get(0).children()).isEmpty();
        assertThat(sas.anyEstablished()).isFalse();
    }

    @Test
    void noSasAtAll() {
        assertThat(SwanSas.parse("").ikeSas()).isEmpty();
        assertThat(SwanSas.parse("\n").anyEstablished()).isFalse();
    }

    @Test
    void severalIkeSasKeepTheirOwnChildren() {
        SwanSas sas = SwanSas.parse(WEST_CONNECTING.replace("#1", "#2") + WEST_ESTABLISHED);

        assertThat(sas.ikeSas()).extracting(SwanSas.IkeSa::uniqueId).containsExactly(2, 1);
        assertThat(sas.ikeSas().get(0).children()).isEmpty();
        assertThat(sas.ikeSas().get(1).children()).hasSize(1);
        assertThat(sas.anyEstablished()).isTrue();
    }
}
