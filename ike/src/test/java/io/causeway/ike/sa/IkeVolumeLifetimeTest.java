package io.causeway.ike.sa;

import static io.causeway.esp.SaConfig.UNLIMITED;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.LimitKind;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte and packet lifetimes (strongSwan's lifebytes, lifepackets, marginbytes, marginpackets): each CHILD_SA goes to
 * the data plane with its soft and hard limits, the data plane reports a crossing ({@link VolumeMeter} plays it), and
 * the engine rekeys at the soft limit and expires at the hard one.
 */
class IkeVolumeLifetimeTest {
    @TempDir
    Path dir;

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    private static long creates(Lab.Recorder r) {
        return r.sentLog.stream().map(IkeSessionTest::decode)
                .filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA && !m.header().response()).count();
    }

    private static void count(Lab lab, VolumeMeter meter, long bytes, long packets) {
        meter.counted(bytes, packets, lab.now);
        lab.deliverAll();
    }

    @Test
    void theSoftByteLimitRekeysAndTheNewSaCountsFromZero() {
        Lab lab = lab(west("    lifebytes=1000000\n    marginbytes=100000\n    rekeyfuzz=0%\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        assertThat(first.limits()).isEqualTo(new VolumeLimits(900_000, 1_000_000, UNLIMITED, UNLIMITED));
        assertThat(lab.westActions.installs).containsExactly(first); // handed over with the install
        VolumeMeter firstOut = new VolumeMeter(lab.west, first);

        count(lab, firstOut, 899_999, 900);
        assertThat(creates(lab.westActions)).isZero();

        count(lab, firstOut, 900_000, 900);
        assertThat(firstOut.reports).containsExactly(LimitKind.SOFT_BYTES);
        assertThat(creates(lab.westActions)).isEqualTo(1);
        ChildSaInstall second = w.child().orElseThrow();
        assertThat(second.inboundSpi()).isNotEqualTo(first.inboundSpi());
        assertThat(second.limits()).isEqualTo(first.limits());
        assertThat(espRoundTrip(second, only(lab.east).child().orElseThrow())).isTrue();
        assertThat(lab.westActions.installed()).containsExactly(second);
        assertThat(lab.eastActions.installed()).hasSize(1);

        // the replaced SA is gone: its late hard limit changes nothing; the new one starts from nothing
        count(lab, firstOut, 1_000_000, 1000);
        assertThat(creates(lab.westActions)).isEqualTo(1);
        assertThat(lab.westActions.installed()).containsExactly(second);
        count(lab, new VolumeMeter(lab.west, second), 950_000, 950);
        assertThat(creates(lab.westActions)).isEqualTo(2);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
    }

    @Test
    void theResponderRekeysByPackets() {
        Lab lab = lab(west(""), east("    lifepackets=1000\n    marginpackets=100\n    rekeyfuzz=0%\n"));
        lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall first = e.child().orElseThrow();
        assertThat(first.limits()).isEqualTo(new VolumeLimits(UNLIMITED, UNLIMITED, 900, 1000));

        count(lab, new VolumeMeter(lab.east, first), 1_000_000, 900);

        assertThat(creates(lab.eastActions)).isEqualTo(1);
        assertThat(e.child().orElseThrow().inboundSpi()).isNotEqualTo(first.inboundSpi());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(lab.westActions.installed()).hasSize(1);
    }

    @Test
    void theSoftLimitIsLoweredByUpToRekeyfuzzOfTheMargin() {
        // rekeyfuzz=100%: the soft limit lies in [life - 2 margin, life - margin] (strongSwan's EXPIRY/REKEY rule)
        Lab lab = lab(west("    lifebytes=1000000\n    marginbytes=100000\n    rekeyfuzz=100%\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        assertThat(first.limits().softBytes()).isBetween(800_000L, 900_000L);
        assertThat(first.limits().hardBytes()).isEqualTo(1_000_000);
        VolumeMeter meter = new VolumeMeter(lab.west, first);
        count(lab, meter, first.limits().softBytes() - 1, 0);
        assertThat(creates(lab.westActions)).isZero();
        count(lab, meter, first.limits().softBytes(), 0);
        assertThat(creates(lab.westActions)).isEqualTo(1);
    }

    @Test
    void theHardLimitExpiresTheSaLikeTheHardLifetime() {
        Lab lab = lab(west("    lifebytes=1000000\n    rekey=no\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        assertThat(first.limits()).as("rekey=no: no soft limit")
                .isEqualTo(new VolumeLimits(UNLIMITED, 1_000_000, UNLIMITED, UNLIMITED));
        VolumeMeter meter = new VolumeMeter(lab.west, first);

        count(lab, meter, 999_999, 0);
        assertThat(lab.westActions.sentLog.stream().map(IkeSessionTest::decode)
                .filter(m -> m.header().messageId() >= 2)).isEmpty();

        count(lab, meter, 1_000_000, 0);
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
    void connectionsWithoutVolumeLimitsInstallUnlimitedSas() {
        Lab lab = lab(west("    lifepackets=1000\n"), east(""));
        IkeSession w = lab.initiate();
        // marginpackets defaults to 0: the soft limit is the hard one
        assertThat(w.child().orElseThrow().limits()).isEqualTo(new VolumeLimits(UNLIMITED, UNLIMITED, 1000, 1000));
        assertThat(only(lab.east).child().orElseThrow().limits()).isEqualTo(VolumeLimits.NONE);
        assertThat(lab.eastActions.installs).allMatch(i -> i.limits().equals(VolumeLimits.NONE));
    }

    @Test
    void usedUpSequenceNumbersRekey() {
        Lab lab = lab(west("    lifepackets=1000\n    marginpackets=100\n    rekeyfuzz=0%\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        VolumeMeter meter = new VolumeMeter(lab.west, first);
        meter.exhausted(lab.now);
        lab.deliverAll();
        assertThat(creates(lab.westActions)).isEqualTo(1);
        assertThat(w.child().orElseThrow().inboundSpi()).isNotEqualTo(first.inboundSpi());
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void theSoftLimitReachedWhileARekeyIsOutstandingStartsNoSecondOne() {
        Lab lab = lab(west("    lifebytes=1000000\n    marginbytes=100000\n    lifepackets=1000\n"
                + "    marginpackets=100\n    rekeyfuzz=0%\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        VolumeMeter meter = new VolumeMeter(lab.west, first);
        meter.counted(900_000, 0, lab.now); // the request is out, not yet answered
        meter.counted(900_000, 900, lab.now);
        meter.exhausted(lab.now);
        lab.deliverAll();
        assertThat(meter.reports).containsExactly(LimitKind.SOFT_BYTES, LimitKind.SOFT_PACKETS,
                LimitKind.SEQUENCE_EXHAUSTED);
        assertThat(creates(lab.westActions)).isEqualTo(1);
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
    }

    @Test
    void usedUpSequenceNumbersWithoutRekeyDeleteTheSa() {
        Lab lab = lab(west("    rekey=no\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall first = w.child().orElseThrow();
        new VolumeMeter(lab.west, first).exhausted(lab.now);
        lab.deliverAll();
        assertThat(lab.westActions.removals).containsExactly(new ChildSaRemoval("net", first.inboundSpi(),
                first.outboundSpi()));
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow()); // auto=start: a new one
        assertThat(w.child().orElseThrow().inboundSpi()).isNotEqualTo(first.inboundSpi());
    }

    @Test
    void aReportForAnSpiNoLongerInstalledChangesNothing() {
        Lab lab = lab(west("    lifebytes=1000\n    rekey=no\n"), east(""));
        IkeSession w = lab.initiate();
        ChildSaInstall child = w.child().orElseThrow();
        lab.west.volumeLimitReached(child.inboundSpi() ^ 1, LimitKind.HARD_BYTES, lab.now);
        lab.west.volumeLimitReached(child.outboundSpi(), LimitKind.HARD_BYTES, lab.now); // the peer's SPI: not a name
        lab.deliverAll();
        assertThat(w.child()).contains(child);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
    }

    private static IkeSession only(IkeEngine engine) {
        List<IkeSession> all = List.copyOf(engine.sessions());
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
