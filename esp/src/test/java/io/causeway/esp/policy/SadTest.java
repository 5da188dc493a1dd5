package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.testing.Sas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SadTest {
    private static InboundSa sa(int spi) {
        EspSuite suite = EspSuite.parse("aes128gcm16");
        return new InboundSa(SaConfig.builder(spi, suite, Sas.keys(suite, 1)).provider(CryptoProvider.BOUNCY_CASTLE).build());
    }

    @Test
    void findsEverySpiAndNothingElse() {
        List<InboundSa> sas = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sas.add(sa(0xc0000000 + i * 4096));
        }
        Sad sad = Sad.of(sas);
        for (InboundSa sa : sas) {
            assertThat(sad.lookup(sa.spi())).isSameAs(sa);
        }
        assertThat(sad.lookup(0xc0000001)).isNull();
        assertThat(sad.lookup(0)).isNull();
        assertThat(Sad.EMPTY.lookup(0xc0000000)).isNull();
    }

    @Test
    void replacementsAreNewSnapshots() {
        InboundSa a = sa(0x1001);
        InboundSa b = sa(0x1002);
        SadHolder holder = new SadHolder();
        holder.replace(Sad.of(List.of(a)));
        Sad before = holder.current();

        holder.replace(before.with(b).without(0x1001));

        assertThat(holder.lookup(0x1002)).isSameAs(b);
        assertThat(holder.lookup(0x1001)).isNull();
        assertThat(before.lookup(0x1001)).isSameAs(a);
        assertThat(before.lookup(0x1002)).isNull();
        assertThatThrownBy(() -> Sad.of(List.of(a, sa(0x1001)))).hasMessageContaining("duplicate inbound SPI 1001");
    }
}
