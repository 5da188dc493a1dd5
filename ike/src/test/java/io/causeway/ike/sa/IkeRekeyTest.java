package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.18): rekeying CHILD_SAs and IKE SAs, both ways, by timer and by lifetime. */
class IkeRekeyTest {
    static final String PFS = "esp=aes128gcm16-modp2048";

    @TempDir
    Path dir;

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    private static String withEsp(String conf, String esp) {
        return conf.replace("esp=aes128gcm16", esp);
    }

    private static IkeSession only(IkeEngine engine) {
        assertThat(engine.sessions()).hasSize(1);
        return engine.sessions().iterator().next();
    }

    private static List<IkeMessage> exchanges(List<IkeDatagram> log, int type) {
        return log.stream().map(IkeSessionTest::decode).filter(m -> m.header().exchangeType() == type).toList();
    }

    private static List<Payload> open(IkeSession receiver, IkeDatagram d) {
        try {
            return receiver.decryptFromPeer(decode(d));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void fire(Lab lab, IkeEngine engine, IkeSession s, TimerKey.Kind kind) {
        engine.timerFired(new TimerKey(s.localSpi(), kind), lab.now);
        lab.deliverAll();
    }

    private static void assertMirroredAndWorking(ChildSaInstall w, ChildSaInstall e) {
        assertThat(w.outboundSpi()).isEqualTo(e.inboundSpi());
        assertThat(w.inboundSpi()).isEqualTo(e.outboundSpi());
        assertThat(w.outboundKeys()).isEqualTo(e.inboundKeys());
        assertThat(w.inboundKeys()).isEqualTo(e.outboundKeys());
        assertThat(w.outboundKeys()).isNotEqualTo(w.inboundKeys());
        assertThat(espRoundTrip(w, e)).isTrue();
        assertThat(espRoundTrip(e, w)).isTrue();
    }

    /** East (the responder) rekeys the CHILD_SA; returns the lab afterwards. */
    private Lab eastRekeysChild(String esp) {
        Lab lab = lab(withEsp(west(""), esp), withEsp(east(""), esp));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall oldW = lab.westActions.installs.get(0);
        ChildSaInstall oldE = lab.eastActions.installs.get(0);
        lab.checkEachSendsWhatThePeerReceives();

        fire(lab, lab.east, e, TimerKey.Kind.CHILD_REKEY);

        assertThat(lab.westActions.installs).hasSize(2);
        assertThat(lab.eastActions.installs).hasSize(2);
        ChildSaInstall newW = lab.westActions.installs.get(1);
        ChildSaInstall newE = lab.eastActions.installs.get(1);
        assertMirroredAndWorking(newW, newE);
        assertThat(newW.inboundSpi()).isNotEqualTo(oldW.inboundSpi());
        assertThat(newW.outboundKeys()).isNotEqualTo(oldW.outboundKeys());
        assertThat(newW.localSelectors()).isEqualTo(oldW.localSelectors());
        assertThat(newE.remoteSelectors()).isEqualTo(oldE.remoteSelectors());
        // west, the responder, sent on the new SA only once east's DELETE of the old one came (2.8); east at once
        assertThat(newW.outboundActive()).isFalse();
        assertThat(newE.outboundActive()).isTrue();
        assertThat(lab.westActions.activations).containsExactly(newW.inboundSpi());
        assertThat(lab.westActions.sendingOn()).isEqualTo(newW);
        // the old pair is gone on both sides after east's DELETE and its answer (1.4.1)
        assertThat(lab.westActions.removals).containsExactly(
                new ChildSaRemoval("net", oldW.inboundSpi(), oldW.outboundSpi()));
        assertThat(lab.eastActions.removals).containsExactly(
                new ChildSaRemoval("net", oldE.inboundSpi(), oldE.outboundSpi()));
        List<IkeMessage> eastRequests = exchanges(lab.eastActions.sentLog, ExchangeType.CREATE_CHILD_SA);
        assertThat(eastRequests).hasSize(1);
        assertThat(eastRequests.get(0).header().initiator()).isFalse(); // east is the original responder
        assertThat(eastRequests.get(0).header().messageId()).isZero(); // east's first request
        List<Payload> request = open(w, lab.eastActions.sentLog.get(lab.eastActions.sentLog.size() - 2));
        NotifyPayload rekey = request.stream().filter(NotifyPayload.class::isInstance).map(NotifyPayload.class::cast)
                .filter(n -> n.notifyType() == NotifyType.REKEY_SA).findFirst().orElseThrow();
        assertThat(java.nio.ByteBuffer.wrap(rekey.spi()).getInt()).isEqualTo(oldE.inboundSpi());
        assertThat(request.stream().anyMatch(KePayload.class::isInstance)).isEqualTo(esp.equals(PFS));
        assertThat(w.child()).contains(newW);
        assertThat(e.child()).contains(newE);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(w.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(e.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
        return lab;
    }

    @Test
    void eastRekeysTheChildSaWithoutPfs() {
        eastRekeysChild("esp=aes128gcm16");
    }

    @Test
    void eastRekeysTheChildSaWithPfs() {
        Lab lab = eastRekeysChild(PFS);
        // and again: the second rekey replaces the first replacement
        IkeSession e = only(lab.east);
        fire(lab, lab.east, e, TimerKey.Kind.CHILD_REKEY);
        assertThat(lab.westActions.installs).hasSize(3);
        assertMirroredAndWorking(lab.westActions.installs.get(2), lab.eastActions.installs.get(2));
        assertThat(lab.westActions.removals).hasSize(2);
        assertThat(lab.eastActions.removals).hasSize(2);
    }

    @Test
    void westRekeysTheChildSaWhenItsLifetimeIsNearlyOver() {
        String life = "    lifetime=20m\n    margintime=3m\n    rekeyfuzz=0%\n";
        Lab lab = lab(west(life), east(""));
        IkeSession w = lab.initiate();
        lab.checkEachSendsWhatThePeerReceives();
        ChildSaInstall oldW = lab.westActions.installs.get(0);
        assertThat(lab.westActions.lifetimes).containsEntry(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY),
                lab.now + 17 * 60_000);
        assertThat(lab.westActions.lifetimes).containsEntry(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_EXPIRE),
                lab.now + 20 * 60_000);

        lab.advance(17 * 60_000 - 1);
        assertThat(lab.westActions.installs).hasSize(1);
        lab.advance(1);

        assertThat(lab.westActions.installs).hasSize(2);
        assertThat(lab.eastActions.installs).hasSize(2);
        assertMirroredAndWorking(lab.westActions.installs.get(1), lab.eastActions.installs.get(1));
        assertThat(lab.westActions.removals).containsExactly(new ChildSaRemoval("net", oldW.inboundSpi(), oldW.outboundSpi()));
        assertThat(lab.eastActions.removals).hasSize(1);
        assertThat(exchanges(lab.westActions.sentLog, ExchangeType.CREATE_CHILD_SA)).hasSize(1);
        // the new CHILD_SA has a lifetime of its own
        assertThat(lab.westActions.lifetimes).containsEntry(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_EXPIRE),
                lab.now + 20 * 60_000);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);

        // and the next rekey 17 minutes later
        lab.advance(17 * 60_000);
        assertThat(lab.westActions.installs).hasSize(3);
        assertThat(lab.westActions.removals).hasSize(2);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void rekeyWithPfsIsRefusedWithNoProposalChosenAndTheChildSaExpires() {
        String life = "    lifetime=20m\n    margintime=3m\n    rekeyfuzz=0%\n";
        Lab lab = lab(withEsp(west(life), PFS), east(""));
        IkeSession w = lab.initiate();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED); // IKE_AUTH ignores DH (1.2)

        lab.advance(17 * 60_000);
        IkeMessage answer = exchanges(lab.eastActions.sentLog, ExchangeType.CREATE_CHILD_SA).get(0);
        assertThat(answer.header().response()).isTrue();
        assertThat(open(w, lab.toWest.get(lab.toWest.size() - 1))).containsExactly(
                NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
        assertThat(lab.westActions.installs).hasSize(1);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(w.lastError()).hasValueSatisfying(s -> assertThat(s).contains("NO_PROPOSAL_CHOSEN"));

        // the hard lifetime ends the CHILD_SA on west, which deletes it on east too; west (auto=start) then asks for
        // a new CHILD_SA on the IKE SA (1.3.1), which east refuses for the same reason
        lab.advance(3 * 60_000);
        assertThat(lab.westActions.removals).hasSize(1);
        assertThat(lab.eastActions.removals).hasSize(1);
        assertThat(lab.westActions.installed()).isEmpty();
        assertThat(lab.eastActions.installed()).isEmpty();
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:CONNECTING",
                "net:PHASE2_FAILED");
        assertThat(lab.westActions.lastError).isEqualTo(
                "peer answered NO_PROPOSAL_CHOSEN to our CREATE_CHILD_SA for a new CHILD_SA");
        assertThat(lab.west.sessions()).hasSize(1); // the IKE SA stays, as strongSwan keeps it
        assertThat(lab.westActions.timers).isEmpty();
    }

    @Test
    void invalidKePayloadMakesTheInitiatorRetryWithTheGroupAskedFor() {
        Lab lab = lab(withEsp(west(""), "esp=aes128gcm16-modp2048-ecp256"), withEsp(east(""), "esp=aes128gcm16-ecp256"));
        IkeSession w = lab.initiate();
        fire(lab, lab.west, w, TimerKey.Kind.CHILD_REKEY);

        List<IkeMessage> fromEast = exchanges(lab.eastActions.sentLog, ExchangeType.CREATE_CHILD_SA);
        assertThat(fromEast).hasSize(2);
        assertThat(exchanges(lab.westActions.sentLog, ExchangeType.CREATE_CHILD_SA)).hasSize(2);
        List<IkeDatagram> createAnswers = lab.toWest.stream()
                .filter(d -> decode(d).header().exchangeType() == ExchangeType.CREATE_CHILD_SA).toList();
        assertThat(open(w, createAnswers.get(0))).containsExactly(NotifyPayload.invalidKePayload(19));
        assertThat(open(w, createAnswers.get(1))).anySatisfy(p ->
                assertThat(p).isInstanceOfSatisfying(KePayload.class, k -> assertThat(k.dhGroup()).isEqualTo(19)));
        assertThat(lab.westActions.installs).hasSize(2);
        assertMirroredAndWorking(lab.westActions.installs.get(1), lab.eastActions.installs.get(1));
        assertThat(lab.westActions.removals).hasSize(1);
        assertThat(lab.eastActions.removals).hasSize(1);
    }

    @Test
    void childRekeyWithoutPfsOfferedToAPfsResponderGetsNoProposalChosen() {
        Lab lab = lab(west(""), withEsp(east(""), PFS));
        IkeSession w = lab.initiate();
        fire(lab, lab.west, w, TimerKey.Kind.CHILD_REKEY);
        List<IkeDatagram> answers = lab.toWest.stream()
                .filter(d -> decode(d).header().exchangeType() == ExchangeType.CREATE_CHILD_SA).toList();
        assertThat(answers).hasSize(1);
        assertThat(open(w, answers.get(0))).containsExactly(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
        assertThat(lab.westActions.installs).hasSize(1);
        assertThat(lab.eastActions.installs).hasSize(1);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void aRetransmittedRekeyRequestGetsTheCachedAnswer() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        lab.west.timerFired(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        IkeDatagram request = lab.westActions.takeSent().get(0);
        lab.westActions.outbox.clear();
        // deliver it twice: the retransmission gets the cached answer
        lab.east.receive(new IkeDatagram(request.bytes(), Lab.EAST, Lab.WEST), lab.now);
        lab.east.receive(new IkeDatagram(request.bytes(), Lab.EAST, Lab.WEST), lab.now);
        List<IkeDatagram> answers = lab.eastActions.takeSent();
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).bytes()).isEqualTo(answers.get(1).bytes());
        assertThat(lab.eastActions.installs).hasSize(2);
    }

    /** One side rekeys the IKE SA; checks both sides and returns the lab. */
    private Lab ikeRekey(boolean byWest) {
        Lab lab = lab(west("    dpdaction=clear\n    dpddelay=30s\n"), east(""));
        IkeSession oldW = lab.initiate();
        IkeSession oldE = only(lab.east);
        fire(lab, byWest ? lab.west : lab.east, byWest ? oldW : oldE, TimerKey.Kind.IKE_REKEY);

        IkeSession w = only(lab.west);
        IkeSession e = only(lab.east);
        assertThat(w).isNotSameAs(oldW);
        assertThat(e).isNotSameAs(oldE);
        assertThat(oldW.closed()).isTrue();
        assertThat(oldE.closed()).isTrue();
        assertThat(w.initiatorSpi()).isEqualTo(e.initiatorSpi());
        assertThat(w.responderSpi()).isEqualTo(e.responderSpi());
        assertThat(w.initiatorSpi()).isNotIn(oldW.initiatorSpi(), oldW.responderSpi());
        assertThat(w.responderSpi()).isNotIn(oldW.initiatorSpi(), oldW.responderSpi());
        assertThat(w.isInitiator()).isEqualTo(byWest);
        assertThat(e.isInitiator()).isEqualTo(!byWest);
        assertThat(lab.west.session(oldW.localSpi())).isEmpty();
        assertThat(lab.east.session(oldE.localSpi())).isEmpty();
        // the CHILD_SA survives, moved to the new IKE SA
        assertThat(lab.westActions.installs).hasSize(1);
        assertThat(lab.eastActions.installs).hasSize(1);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.eastActions.removals).isEmpty();
        assertThat(w.child()).contains(lab.westActions.installs.get(0));
        assertThat(e.child()).contains(lab.eastActions.installs.get(0));
        assertThat(w.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        // the old IKE SA was deleted with an INFORMATIONAL on it
        List<IkeMessage> deletes = exchanges((byWest ? lab.westActions : lab.eastActions).sentLog, ExchangeType.INFORMATIONAL);
        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).header().initiatorSpi()).isEqualTo(oldW.initiatorSpi());
        assertThat(open(byWest ? oldE : oldW, (byWest ? lab.toEast : lab.toWest).stream()
                .filter(d -> decode(d).header().exchangeType() == ExchangeType.INFORMATIONAL).findFirst().orElseThrow()))
                .containsExactly(DeletePayload.ikeSa());
        // timers live under the new SPIs only
        assertThat(lab.westActions.lifetimes.keySet()).allMatch(k -> k.localSpi() == w.localSpi());
        assertThat(lab.eastActions.lifetimes.keySet()).allMatch(k -> k.localSpi() == e.localSpi());
        assertThat(lab.westActions.timers).containsOnlyKeys(new TimerKey(w.localSpi(), TimerKey.Kind.DPD));
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();

        // an INFORMATIONAL (DPD) on the new IKE SA works both ways, message ids from 0 (2.18)
        lab.advance(30_000);
        List<IkeMessage> dpd = exchanges(lab.westActions.sentLog, ExchangeType.INFORMATIONAL);
        IkeMessage check = dpd.get(dpd.size() - 1);
        assertThat(check.header().initiatorSpi()).isEqualTo(w.initiatorSpi());
        assertThat(check.header().messageId()).isZero();
        assertThat(e.informational(List.of(), lab.now)).isTrue();
        lab.deliverAll();
        assertThat(lab.westActions.timers).containsOnlyKeys(new TimerKey(w.localSpi(), TimerKey.Kind.DPD));
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
        assertThat(lab.westActions.ikeRekeys).isEqualTo(1);
        assertThat(lab.eastActions.ikeRekeys).isEqualTo(1);

        // a CHILD_SA rekey on the new IKE SA uses its SK_d
        fire(lab, lab.east, e, TimerKey.Kind.CHILD_REKEY);
        assertThat(lab.westActions.installs).hasSize(2);
        assertMirroredAndWorking(lab.westActions.installs.get(1), lab.eastActions.installs.get(1));
        assertThat(lab.westActions.removals).hasSize(1);

        // closing goes through the new IKE SA
        lab.west.close("net", lab.now);
        lab.deliverAll();
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.westActions.lifetimes).isEmpty();
        assertThat(lab.eastActions.lifetimes).isEmpty();
        return lab;
    }

    @Test
    void westRekeysTheIkeSa() {
        ikeRekey(true);
    }

    @Test
    void eastRekeysTheIkeSa() {
        ikeRekey(false);
    }

    @Test
    void westRekeysTheIkeSaWhenItsLifetimeIsNearlyOver() {
        Lab lab = lab(west("    ikelifetime=30m\n    margintime=3m\n    rekeyfuzz=0%\n"), east(""));
        IkeSession oldW = lab.initiate();
        lab.advance(27 * 60_000);
        IkeSession w = only(lab.west);
        assertThat(w).isNotSameAs(oldW);
        assertThat(w.isInitiator()).isTrue();
        assertThat(only(lab.east).initiatorSpi()).isEqualTo(w.initiatorSpi());
        assertThat(lab.westActions.lifetimes).containsEntry(new TimerKey(w.localSpi(), TimerKey.Kind.IKE_REKEY),
                lab.now + 27 * 60_000);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void aReplacedIkeSaWhoseDeleteNeverComesIsForgottenQuietly() {
        Lab lab = lab(west(""), east(""));
        IkeSession oldW = lab.initiate();
        // east's answer to the rekey reaches west, west's DELETE of the old IKE SA is lost
        lab.drop = d -> decode(d).header().exchangeType() == ExchangeType.INFORMATIONAL;
        fire(lab, lab.west, oldW, TimerKey.Kind.IKE_REKEY);
        assertThat(lab.east.sessions()).hasSize(2);
        lab.advance(10 * 60_000);
        assertThat(lab.west.sessions()).hasSize(1);
        assertThat(lab.east.sessions()).hasSize(1);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.eastActions.removals).isEmpty();
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
    }
}
