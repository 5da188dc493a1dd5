package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Make before break for the responder of a CHILD_SA rekey (RFC 7296 2.8): it receives on the new SA as soon as it
 * answers, but sends on the old one until the old one goes, normally by the initiator's DELETE, which the initiator
 * sends only once it has installed the new SA. Until then ESP on the new SA could reach a peer that cannot open it.
 */
class IkeRekeyOutboundTest {
    @TempDir
    Path dir;

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    private static IkeSession only(IkeEngine engine) {
        assertThat(engine.sessions()).hasSize(1);
        return engine.sessions().iterator().next();
    }

    private static IkeDatagram single(List<IkeDatagram> sent) {
        assertThat(sent).hasSize(1);
        return sent.get(0);
    }

    private static String spi(int spi) {
        return Lab.Recorder.spi(spi);
    }

    /** West starts a rekey of the CHILD_SA and east answers it; returns east's new SA. West has not seen the answer. */
    private static ChildSaInstall eastAnswersWestsRekey(Lab lab, IkeSession w) {
        lab.west.timerFired(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.deliverToEast(single(lab.westActions.takeSent()));
        assertThat(lab.eastActions.installs).hasSize(2);
        return lab.eastActions.installs.get(1);
    }

    /**
     * The initiator seals with a new SA as soon as the answer arrives, so the responder's SA must be in its data plane
     * before the answer leaves: a packet that overtakes the responder's install is lost (seen under iperf3 as no_sa
     * drops during rekeys). Both for the first CHILD_SA (IKE_AUTH) and for a rekey (CREATE_CHILD_SA).
     */
    @Test
    void theResponderInstallsEachNewSaBeforeItsAnswerLeaves() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        assertThat(lab.eastActions.installsAtSend).as("SAs installed as IKE_SA_INIT's, then IKE_AUTH's answer left")
                .startsWith(0, 1);

        eastAnswersWestsRekey(lab, w);
        assertThat(lab.eastActions.installsAtSend).as("SAs installed as the rekey's answer left").last().isEqualTo(2);
    }

    @Test
    void theResponderSendsOnTheNewSaOnlyOnceTheInitiatorsDeleteOfTheOldOneArrives() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        lab.checkEachSendsWhatThePeerReceives();
        ChildSaInstall oldE = lab.eastActions.installs.get(0);

        ChildSaInstall newE = eastAnswersWestsRekey(lab, w);
        assertThat(newE.outboundActive()).isFalse();
        assertThat(lab.eastActions.installed()).containsExactly(oldE, newE); // receives on both
        assertThat(lab.eastActions.sendingOn()).isEqualTo(oldE);
        assertThat(only(lab.east).child()).contains(newE); // the new one is current all the same

        // west installs both directions of the new SA at once and sends its DELETE of the old one
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        ChildSaInstall newW = lab.westActions.installs.get(1);
        assertThat(newW.outboundActive()).isTrue();
        assertThat(lab.westActions.sendingOn()).isEqualTo(newW);
        IkeDatagram delete = single(lab.westActions.takeSent());
        assertThat(lab.eastActions.sendingOn()).isEqualTo(oldE);
        assertThat(lab.eastActions.activations).isEmpty();

        lab.deliverToEast(delete);
        assertThat(lab.eastActions.dataPlane).containsExactly("install " + spi(oldE.inboundSpi()),
                "install " + spi(newE.inboundSpi()) + " receiving", "send " + spi(newE.inboundSpi()),
                "remove " + spi(oldE.inboundSpi()));
        assertThat(lab.eastActions.sendingOn()).isEqualTo(newE);

        lab.deliverAll();
        assertThat(lab.westActions.installed()).containsExactly(newW);
        assertThat(lab.eastActions.installed()).containsExactly(newE);
        assertThat(lab.westActions.activations).isEmpty(); // the initiator never waits
        assertThat(espRoundTrip(newE, newW)).isTrue();
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void withoutThePeersDeleteTheNewSaSendsOnceTheOldOneReachesItsHardLifetime() {
        Lab lab = lab(west(""), east("    lifetime=20m\n    margintime=3m\n    rekeyfuzz=0%\n    rekey=no\n"));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        long oldExpires = lab.now + 20 * 60_000;
        ChildSaInstall oldE = lab.eastActions.installs.get(0);
        lab.now += 5 * 60_000;
        ChildSaInstall newE = eastAnswersWestsRekey(lab, w);
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        lab.westActions.takeSent(); // west's DELETE of the old SA is lost (and retransmitted in vain)
        TimerKey expiry = new TimerKey(e.localSpi(), TimerKey.Kind.CHILD_EXPIRE);
        assertThat(lab.eastActions.lifetimes).containsEntry(expiry, oldExpires);

        lab.now = oldExpires;
        lab.east.timerFired(expiry, lab.now);
        assertThat(lab.eastActions.dataPlane).endsWith("send " + spi(newE.inboundSpi()),
                "remove " + spi(oldE.inboundSpi()));
        assertThat(lab.eastActions.installed()).containsExactly(newE);
        assertThat(lab.eastActions.sendingOn()).isEqualTo(newE);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void closingWhileTheNewSaOnlyReceivesRemovesBothWithoutSwitching() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        eastAnswersWestsRekey(lab, w);
        lab.eastActions.takeSent(); // the answer never reaches west

        lab.east.close("net", lab.now);
        assertThat(lab.eastActions.installed()).isEmpty();
        assertThat(lab.eastActions.removals).hasSize(2);
        assertThat(lab.eastActions.activations).isEmpty();
    }

    @Test
    void theDeleteOfTheOldSaArrivingOnTheIkeSaThatAnIkeRekeyReplacedStillSwitches() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession oldIkeE = only(lab.east);
        lab.checkEachSendsWhatThePeerReceives();
        ChildSaInstall oldE = lab.eastActions.installs.get(0);
        ChildSaInstall newE = eastAnswersWestsRekey(lab, w);
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        IkeDatagram delete = single(lab.westActions.takeSent()); // on the old IKE SA, held back

        // east rekeys the IKE SA meanwhile: both CHILD_SAs move to the new IKE SA (2.18)
        lab.east.timerFired(new TimerKey(oldIkeE.localSpi(), TimerKey.Kind.IKE_REKEY), lab.now);
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        lab.deliverToEast(single(lab.westActions.takeSent()));
        assertThat(oldIkeE.rekeyed()).isTrue();
        assertThat(lab.eastActions.sendingOn()).isEqualTo(oldE);

        lab.deliverToEast(delete);
        assertThat(lab.eastActions.activations).containsExactly(newE.inboundSpi());
        assertThat(lab.eastActions.dataPlane).endsWith("send " + spi(newE.inboundSpi()),
                "remove " + spi(oldE.inboundSpi()));
        lab.deliverAll();
        assertThat(lab.eastActions.installed()).containsExactly(newE);
        assertThat(lab.eastActions.sendingOn()).isEqualTo(newE);
        // (west drops the answer to its DELETE: east's DELETE of the old IKE SA overtook it, as this test ordered)
        assertThat(lab.east.droppedMessages()).isZero();
    }
}
