package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte and packet lifetimes (strongSwan's lifebytes, lifepackets, marginbytes, marginpackets): the data plane's
 * counters, read when the daemon asks the engine to check them; the soft limit rekeys, the hard one expires.
 */
class IkeVolumeLifetimeTest {
    @TempDir
    Path dir;

    /** What a data plane would have counted, per SA direction; the test sets it. */
    static final class Counters implements ChildUsage {
        final Map<String, ChildUsage.Counters> bySa = new HashMap<>();
        int reads;

        void set(int spi, boolean inbound, long bytes, long packets) {
            bySa.put(spi + "/" + inbound, new ChildUsage.Counters(bytes, packets));
        }

        @Override
        public ChildUsage.Counters counters(int spi, boolean inbound) {
            reads++;
            return bySa.getOrDefault(spi + "/" + inbound, ChildUsage.Counters.NONE);
        }
    }

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    private static long creates(Lab.Recorder r) {
        return r.sentLog.stream().map(IkeSessionTest::decode)
                .filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA && !m.header().response()).count();
    }

    private static void check(Lab lab, IkeEngine engine) {
        engine.checkVolumes(lab.now);
        lab.deliverAll();
    }

    @Test
    void theSoftByteLimitRekeysAndTheNewSaCountsFromZero() {
        Lab lab = lab(west("    lifebytes=1000000\n    marginbytes=100000\n    rekeyfuzz=0%\n"), east(""));
        Counters counted = new Counters();
        lab.west.setChildUsage(counted);
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();

        counted.set(first.outboundSpi(), false, 899_999, 900);
        check(lab, lab.west);
        assertThat(creates(lab.westActions)).isZero();

        counted.set(first.outboundSpi(), false, 900_000, 900);
        check(lab, lab.west);
        assertThat(creates(lab.westActions)).isEqualTo(1);
        ChildSaInstall second = w.child().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(espRoundTrip(second, only(lab.east).child().orElseThrow())).isTrue();
        assertThat(lab.westActions.installed()).containsExactly(second);
        assertThat(lab.eastActions.installed()).hasSize(1);

        // the replaced SA's counters no longer matter; the new one starts from nothing
        check(lab, lab.west);
        assertThat(creates(lab.westActions)).isEqualTo(1);
        counted.set(second.outboundSpi(), false, 950_000, 950);
        check(lab, lab.west);
        assertThat(creates(lab.westActions)).isEqualTo(2);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
    }

    @Test
    void theInboundDirectionCountsTooAndTheResponderRekeysByPackets() {
        Lab lab = lab(west(""), east("    lifepackets=1000\n    marginpackets=100\n    rekeyfuzz=0%\n"));
        Counters counted = new Counters();
        lab.east.setChildUsage(counted);
        lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall first = e.child().orElseThrow();

        counted.set(first.outboundSpi(), false, 10_000, 10);
        counted.set(first.inboundSpi(), true, 1_000_000, 900); // the busier direction decides
        check(lab, lab.east);

        assertThat(creates(lab.eastActions)).isEqualTo(1);
        assertThat(e.child().orElseThrow()).isNotEqualTo(first);
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(lab.westActions.installed()).hasSize(1);
    }

    @Test
    void theSoftLimitIsLoweredByUpToRekeyfuzzOfTheMargin() {
        // rekeyfuzz=100%: the soft limit lies in [life - 2 margin, life - margin] (strongSwan's EXPIRY/REKEY rule)
        Lab lab = lab(west("    lifebytes=1000000\n    marginbytes=100000\n    rekeyfuzz=100%\n"), east(""));
        Counters counted = new Counters();
        lab.west.setChildUsage(counted);
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        counted.set(first.outboundSpi(), false, 799_999, 0);
        check(lab, lab.west);
        assertThat(creates(lab.westActions)).isZero();
        counted.set(first.outboundSpi(), false, 900_000, 0);
        check(lab, lab.west);
        assertThat(creates(lab.westActions)).isEqualTo(1);
    }

    @Test
    void theHardLimitExpiresTheSaLikeTheHardLifetime() {
        Lab lab = lab(west("    lifebytes=1000000\n    rekey=no\n"), east(""));
        Counters counted = new Counters();
        lab.west.setChildUsage(counted);
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();

        counted.set(first.outboundSpi(), false, 999_999, 0); // rekey=no: no soft limit
        check(lab, lab.west);
        assertThat(lab.westActions.sentLog.stream().map(IkeSessionTest::decode)
                .filter(m -> m.header().messageId() >= 2)).isEmpty();

        counted.set(first.outboundSpi(), false, 1_000_000, 0);
        check(lab, lab.west);
        // deleted at once, then (auto=start) a new CHILD_SA on the IKE SA
        assertThat(lab.westActions.removals).containsExactly(new ChildSaRemoval("net", first.inboundSpi(),
                first.outboundSpi()));
        assertThat(lab.eastActions.removals).hasSize(1);
        assertThat(creates(lab.westActions)).isEqualTo(1);
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:CONNECTING",
                "net:CONNECTED");
    }

    @Test
    void theEngineReadsTheCountersOnlyWhenAskedAndOnlyForSasWithLimits() {
        Lab lab = lab(west("    lifepackets=1000\n"), east(""));
        Counters westCounted = new Counters();
        Counters eastCounted = new Counters();
        lab.west.setChildUsage(westCounted);
        lab.east.setChildUsage(eastCounted);
        IkeSession w = lab.initiate();
        lab.advance(30 * 60_000);
        lab.west.timerFired(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.deliverAll();
        assertThat(westCounted.reads).isZero();

        lab.west.checkVolumes(lab.now);
        lab.east.checkVolumes(lab.now);
        assertThat(westCounted.reads).isEqualTo(2); // in and out of the one live CHILD_SA
        assertThat(eastCounted.reads).isZero(); // east has no byte or packet limit
    }

    @Test
    void aFailingCounterSourceCountsAsNothing() {
        Lab lab = lab(west("    lifebytes=1000\n    rekey=no\n"), east(""));
        lab.west.setChildUsage((spi, inbound) -> {
            throw new IllegalStateException("data plane gone");
        });
        IkeSession w = lab.initiate();
        lab.west.checkVolumes(lab.now);
        lab.deliverAll();
        assertThat(w.child()).isPresent();
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
    }

    private static IkeSession only(IkeEngine engine) {
        List<IkeSession> all = List.copyOf(engine.sessions());
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
