package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `status NAME` reads from a session: when it was established and when its SAs rekey and expire. */
class IkeSaTimesTest {
    private static final String LIFETIMES = "    ikelifetime=2h\n    lifetime=1h\n    margintime=10m\n";

    @TempDir
    Path dir;

    /** East keeps strongSwan's longer defaults, so every rekey of the IKE SA is west's. */
    private Lab lab(String westExtra) {
        return new Lab(dir, IkeSessionTest.west(westExtra), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
    }

    private static IkeSession current(IkeEngine engine) {
        return engine.sessions().stream().filter(s -> !s.closed() && !s.rekeyed()).findFirst().orElseThrow();
    }

    @Test
    void timesAreTheOnesTheEngineScheduled() {
        Lab lab = lab(LIFETIMES);
        long start = lab.now;
        IkeSession w = lab.initiate();
        ChildSaInstall child = lab.westActions.installs.get(0);

        assertThat(w.establishedAt()).hasValue(start);
        assertThat(w.ikeRekeyAt()).isEqualTo(OptionalLong.of(
                lab.westActions.lifetimes.get(new TimerKey(w.localSpi(), TimerKey.Kind.IKE_REKEY))));
        // rekey between ikelifetime - margintime - fuzz (100% of the margin) and ikelifetime - margintime
        assertThat(w.ikeRekeyAt().getAsLong() - start).isBetween(100 * 60_000L, 110 * 60_000L);
        ChildSaTimes times = w.childTimes(child.inboundSpi()).orElseThrow();
        assertThat(times.rekeyAt()).isEqualTo(OptionalLong.of(
                lab.westActions.lifetimes.get(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY))));
        assertThat(times.expireAt()).hasValue(start + 3_600_000L);
        assertThat(w.childTimes(child.outboundSpi())).as("looked up by our inbound SPI only").isEmpty();
        assertThat(current(lab.east).establishedAt()).hasValue(start);
    }

    @Test
    void theIkeSaOfARekeyIsEstablishedWhenTheRekeyIsDone() {
        Lab lab = lab(LIFETIMES);
        IkeSession first = lab.initiate();
        long rekeyAt = first.ikeRekeyAt().getAsLong();

        lab.advance(rekeyAt - lab.now + 1);

        IkeSession next = current(lab.west);
        assertThat(next).isNotSameAs(first);
        assertThat(next.establishedAt()).hasValue(rekeyAt);
        assertThat(next.ikeRekeyAt().getAsLong()).isGreaterThan(rekeyAt);
    }

    @Test
    void rekeyNoSchedulesNoRekeyButTheChildStillExpires() {
        Lab lab = lab(LIFETIMES + "    rekey=no\n");
        IkeSession w = lab.initiate();

        ChildSaTimes times = w.childTimes(lab.westActions.installs.get(0).inboundSpi()).orElseThrow();

        assertThat(w.ikeRekeyAt()).isEmpty();
        assertThat(times.rekeyAt()).isEmpty();
        assertThat(times.expireAt()).isPresent();
    }
}
