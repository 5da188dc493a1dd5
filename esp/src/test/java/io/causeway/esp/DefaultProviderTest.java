package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.testing.Sas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-suite default of bench/README.md's measurement, and that naming a provider still overrides it. */
class DefaultProviderTest {

    @ParameterizedTest
    @CsvSource({"aes128gcm16,ACCP", "aes256gcm16,ACCP", "aes192gcm12,ACCP", "aes128-sha256,JCE", "aes256-sha1,JCE",
            "aes128-sha512,JCE", "3des-sha1,BOUNCY_CASTLE", "des-md5,BOUNCY_CASTLE"})
    void anSaWithoutAProviderGetsTheSuitesDefault(String suite, CryptoProvider expected) {
        EspSuite s = EspSuite.parse(suite);

        SaConfig cfg = SaConfig.builder(1, s, Sas.keys(s, 1)).build();

        assertThat(CryptoProvider.defaultFor(s)).isEqualTo(expected);
        assertThat(cfg.provider()).isEqualTo(expected);
    }

    @Test
    void aProviderNamedInTheConfigWins() {
        EspSuite gcm = EspSuite.parse("aes128gcm16");
        for (CryptoProvider p : CryptoProvider.values()) {
            assertThat(SaConfig.builder(1, gcm, Sas.keys(gcm, 1)).provider(p).build().provider()).isEqualTo(p);
        }
    }
}
