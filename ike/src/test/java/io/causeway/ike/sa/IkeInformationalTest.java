package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After IKE_AUTH: liveness checks (DPD), DELETE of CHILD_SA and IKE SA both ways, close, keying tries. */
class IkeInformationalTest {
    static final String DPD_CLEAR = "    dpdaction=clear\n    dpddelay=30s\n";

    @TempDir
    Path dir;

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    /** Total time from the first transmission until the schedule gives up. */
    private static long exchangeTimeout() {
        RetransmitSchedule s = RetransmitSchedule.STRONGSWAN;
        long total = 0;
        for (int i = 0; i <= s.tries(); i++) {
            total += s.waitAfter(i).toMillis();
        }
        return total;
    }

    private static List<IkeMessage> informational(List<IkeDatagram> log) {
        return log.stream().map(IkeSessionTest::decode)
                .filter(m -> m.header().exchangeType() == ExchangeType.INFORMATIONAL).toList();
    }

    private static List<Payload> open(IkeSession receiver, IkeDatagram d) {
        try {
            return receiver.decryptFromPeer(decode(d));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static IkeDatagram last(List<IkeDatagram> log) {
        return log.get(log.size() - 1);
    }

    @Test
    void otherNotifiesAreAnsweredEmptyWithoutStateChange() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = lab.east.sessions().iterator().next();

        assertThat(e.informational(List.of(NotifyPayload.of(NotifyType.INITIAL_CONTACT)), lab.now)).isTrue();
        assertThat(e.informational(List.of(), lab.now)).isFalse(); // window of 1: the first is still outstanding
        lab.deliverAll();

        assertThat(open(w, last(lab.eastActions.sentLog))).containsExactly(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
        assertThat(open(e, last(lab.westActions.sentLog))).isEmpty();
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.eastActions.timers).isEmpty(); // answered: no retransmission left
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void westSendsALivenessCheckAfterDpdDelayAndGetsAnEmptyAnswer() {
        Lab lab = lab(west(DPD_CLEAR), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = lab.east.sessions().iterator().next();
        assertThat(lab.westActions.timers).containsEntry(new TimerKey(w.localSpi(), TimerKey.Kind.DPD), lab.now + 30_000);

        lab.advance(29_999);
        assertThat(informational(lab.westActions.sentLog)).isEmpty();
        lab.advance(1);

        IkeMessage check = decode(last(lab.westActions.sentLog));
        assertThat(check.header().exchangeType()).isEqualTo(ExchangeType.INFORMATIONAL);
        assertThat(check.header().messageId()).isEqualTo(2);
        assertThat(check.header().initiator()).isTrue();
        assertThat(check.header().response()).isFalse();
        assertThat(open(e, last(lab.westActions.sentLog))).isEmpty();
        IkeMessage answer = decode(last(lab.eastActions.sentLog));
        assertThat(answer.header().exchangeType()).isEqualTo(ExchangeType.INFORMATIONAL);
        assertThat(answer.header().response()).isTrue();
        assertThat(answer.header().initiator()).isFalse();
        assertThat(answer.header().messageId()).isEqualTo(2);
        assertThat(open(w, last(lab.eastActions.sentLog))).isEmpty();

        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.westActions.timers).containsOnlyKeys(new TimerKey(w.localSpi(), TimerKey.Kind.DPD));
        assertThat(lab.westActions.timers.values()).containsExactly(lab.now + 30_000);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();

        // a retransmitted request is answered from the cache, byte for byte (RFC 7296 2.1)
        int eastSent = lab.eastActions.sentLog.size();
        lab.east.receive(last(lab.toEast), lab.now);
        assertThat(lab.eastActions.sentLog).hasSize(eastSent + 1);
        assertThat(last(lab.eastActions.sentLog).bytes()).isEqualTo(lab.eastActions.sentLog.get(eastSent - 1).bytes());

        // a tampered INFORMATIONAL is dropped and counted, nothing changes
        byte[] tampered = last(lab.westActions.sentLog).bytes();
        tampered[tampered.length - 1] ^= 1;
        lab.east.receive(new IkeDatagram(tampered, Lab.EAST, Lab.WEST), lab.now);
        assertThat(lab.east.droppedMessages()).isEqualTo(1);
        assertThat(lab.eastActions.sentLog).hasSize(eastSent + 1);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void theResponderChecksLivenessTooAndTheInitiatorAnswers() {
        Lab lab = lab(west(""), east(DPD_CLEAR));
        lab.initiate();
        IkeSession w = lab.west.sessions().iterator().next();

        lab.advance(30_000);

        IkeMessage check = decode(last(lab.eastActions.sentLog));
        assertThat(check.header().exchangeType()).isEqualTo(ExchangeType.INFORMATIONAL);
        assertThat(check.header().messageId()).isZero(); // the responder's own requests count from 0
        assertThat(check.header().initiator()).isFalse();
        assertThat(check.header().response()).isFalse();
        assertThat(open(w, last(lab.eastActions.sentLog))).isEmpty();
        IkeMessage answer = decode(last(lab.westActions.sentLog));
        assertThat(answer.header().response()).isTrue();
        assertThat(answer.header().initiator()).isTrue();
        assertThat(answer.header().messageId()).isZero();
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();

        // the next check goes out another dpddelay later, with the next message id
        lab.advance(30_000);
        assertThat(informational(lab.eastActions.sentLog)).extracting(m -> m.header().messageId()).containsExactly(0L, 1L);
    }

    @Test
    void deadPeerIsClearedAfterTheRetransmissionSchedule() {
        Lab lab = lab(west(DPD_CLEAR), east(""));
        lab.initiate();
        ChildSaInstall child = lab.westActions.installs.get(0);
        lab.drop = d -> d.local().equals(Lab.EAST); // east goes silent

        lab.advance(30_000);
        assertThat(informational(lab.westActions.sentLog)).hasSize(1);
        lab.advance(exchangeTimeout() - 1);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        List<IkeMessage> checks = informational(lab.westActions.sentLog);
        assertThat(checks).hasSize(6).allMatch(m -> m.header().messageId() == 2);
        assertThat(lab.westActions.sentLog.subList(2, 8))
                .allMatch(d -> Arrays.equals(d.bytes(), lab.westActions.sentLog.get(2).bytes()));
        lab.advance(1);

        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.lastError).isEqualTo("peer 192.0.2.2 did not answer DPD (dead peer)");
        assertThat(lab.westActions.downCause).isEqualTo(DownCause.DEAD_PEER);
        assertThat(lab.westActions.removals).containsExactly(
                new ChildSaRemoval("net", child.inboundSpi(), child.outboundSpi()));
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.westActions.timers).isEmpty();
        lab.advance(60_000);
        assertThat(lab.westActions.sentLog).hasSize(8); // clear: nothing more
    }

    @Test
    void deadPeerWithRestartInitiatesAgain() {
        Lab lab = lab(west(DPD_CLEAR.replace("clear", "restart")), east(""));
        IkeSession first = lab.initiate();
        lab.drop = d -> d.local().equals(Lab.EAST);

        lab.advance(30_000 + exchangeTimeout());

        assertThat(lab.westActions.removals).hasSize(1);
        assertThat(lab.westActions.states).endsWith("net:DOWN", "net:CONNECTING");
        IkeMessage again = decode(last(lab.westActions.sentLog));
        assertThat(again.header().exchangeType()).isEqualTo(ExchangeType.IKE_SA_INIT);
        assertThat(again.header().messageId()).isZero();
        assertThat(again.header().initiatorSpi()).isNotEqualTo(first.localSpi());
        assertThat(last(lab.westActions.sentLog).remote()).isEqualTo(Lab.EAST);

        lab.drop = d -> false; // east is back: the retransmitted IKE_SA_INIT connects
        lab.advance(4_000);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.installs).hasSize(2);
    }

    @Test
    void recentInboundEspSuppressesTheLivenessCheck() {
        Lab lab = lab(west(DPD_CLEAR), east(""));
        lab.initiate();
        int inbound = lab.westActions.installs.get(0).inboundSpi();
        lab.west.setInboundActivity(spi -> spi == inbound ? lab.now - 1_000 : Long.MIN_VALUE);

        lab.advance(30_000);
        lab.advance(30_000);
        lab.advance(30_000);
        assertThat(informational(lab.westActions.sentLog)).isEmpty();
        assertThat(lab.westActions.timers).hasSize(1).allSatisfy((k, at) -> {
            assertThat(k.kind()).isEqualTo(TimerKey.Kind.DPD);
            assertThat(at).isGreaterThan(lab.now); // re-armed at the last packet + dpddelay
        });

        lab.west.setInboundActivity(null); // traffic stops
        lab.advance(29_000);
        assertThat(informational(lab.westActions.sentLog)).hasSize(1);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void peerDeletesTheChildSaAndThenTheIkeSa() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = lab.east.sessions().iterator().next();
        ChildSaInstall wc = lab.westActions.installs.get(0);
        ChildSaInstall ec = lab.eastActions.installs.get(0);

        e.deleteChild(lab.now);
        lab.deliverAll();

        assertThat(open(w, last(lab.eastActions.sentLog))).containsExactly(DeletePayload.esp(ec.inboundSpi()));
        assertThat(lab.westActions.removals).containsExactly(new ChildSaRemoval("net", wc.inboundSpi(), wc.outboundSpi()));
        assertThat(lab.eastActions.removals).containsExactly(new ChildSaRemoval("net", ec.inboundSpi(), ec.outboundSpi()));
        // 1.4.1: the answer deletes the other direction, named by west's inbound SPI
        assertThat(open(e, last(lab.westActions.sentLog))).containsExactly(DeletePayload.esp(wc.inboundSpi()));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.lastError).isEqualTo("peer deleted the CHILD_SA");
        assertThat(w.child()).isEmpty();
        assertThat(lab.west.sessions()).hasSize(1); // the IKE SA stays

        lab.east.close("net", lab.now);
        lab.deliverAll();

        assertThat(open(w, last(lab.eastActions.sentLog))).containsExactly(DeletePayload.ikeSa());
        assertThat(decode(last(lab.eastActions.sentLog)).header().messageId()).isEqualTo(1);
        assertThat(open(e, last(lab.westActions.sentLog))).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.lastError).isEqualTo("peer deleted the IKE SA");
        assertThat(lab.westActions.downCause).isEqualTo(DownCause.PEER_DELETED);
        assertThat(lab.westActions.removals).hasSize(1);
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void closeSendsTheDeleteOfTheIkeSaAndEastTearsDown() {
        Lab lab = lab(west(DPD_CLEAR), east(DPD_CLEAR));
        IkeSession w = lab.initiate();
        IkeSession e = lab.east.sessions().iterator().next();
        ChildSaInstall wc = lab.westActions.installs.get(0);
        ChildSaInstall ec = lab.eastActions.installs.get(0);

        lab.west.close("net", lab.now);
        assertThat(lab.westActions.removals).containsExactly(new ChildSaRemoval("net", wc.inboundSpi(), wc.outboundSpi()));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.lastError).isNull();
        assertThat(lab.west.sessions()).hasSize(1); // waiting for the answer
        lab.deliverAll();

        IkeDatagram delete = last(lab.westActions.sentLog);
        IkeMessage m = decode(delete);
        assertThat(m.header().exchangeType()).isEqualTo(ExchangeType.INFORMATIONAL);
        assertThat(m.header().initiatorSpi()).isEqualTo(w.initiatorSpi());
        assertThat(m.header().responderSpi()).isEqualTo(w.responderSpi());
        assertThat(m.header().messageId()).isEqualTo(2);
        assertThat(open(e, delete)).containsExactly(DeletePayload.ikeSa());
        assertThat(lab.eastActions.removals).containsExactly(new ChildSaRemoval("net", ec.inboundSpi(), ec.outboundSpi()));
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.eastActions.lastError).isEqualTo("peer deleted the IKE SA");
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
    }

    @Test
    void closeAllSendsDeletesWithoutWaiting() {
        Lab lab = lab(west(DPD_CLEAR), east(""));
        lab.initiate();
        lab.drop = d -> true;

        lab.west.closeAll(lab.now);

        assertThat(informational(lab.westActions.takeSent())).hasSize(1);
        assertThat(lab.westActions.removals).hasSize(1);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.westActions.timers).isEmpty();
    }

    @Test
    void threeKeyingTriesWithFreshSpisThenPhase1FailedAndAnotherRoundAfterTwelveSeconds() {
        Lab lab = lab(west("    keyingtries=3\n"), east(""));
        lab.drop = d -> true;
        lab.initiate();

        lab.advance(3 * exchangeTimeout());

        List<IkeMessage> sent = lab.westActions.sentLog.stream().map(IkeSessionTest::decode).toList();
        assertThat(sent).hasSize(18).allMatch(m -> m.header().exchangeType() == ExchangeType.IKE_SA_INIT);
        assertThat(sent.stream().map(m -> m.header().initiatorSpi()).distinct()).hasSize(3);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTING", "net:CONNECTING",
                "net:PHASE1_FAILED");
        assertThat(lab.westActions.lastError).isEqualTo("no answer from 192.0.2.2 after 5 retransmissions");
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.westActions.timers).hasSize(1);
        assertThat(lab.westActions.timers.keySet()).extracting(TimerKey::kind).containsExactly(TimerKey.Kind.KEYING_RETRY);
        assertThat(lab.westActions.timers.values()).containsExactly(lab.now + 12_000);

        lab.advance(11_999);
        assertThat(lab.westActions.sentLog).hasSize(18);
        lab.advance(1);
        assertThat(lab.westActions.sentLog).hasSize(19);
        assertThat(lab.westActions.sentLog.stream().map(d -> decode(d).header().initiatorSpi()).distinct()).hasSize(4);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);

        // closing the connection stops the retries
        lab.advance(exchangeTimeout() * 3);
        lab.west.close("net", lab.now);
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
    }

    @Test
    void aSecondKeyingTryConnectsAfterTheFirstTimedOut() {
        Lab lab = lab(west("    keyingtries=2\n"), east(""));
        int[] inits = {0};
        // east's first IKE_SA_INIT answer is lost, so the first attempt times out; the second one connects
        lab.drop = d -> d.local().equals(Lab.EAST) && inits[0]++ < 6;
        lab.initiate();
        lab.advance(exchangeTimeout());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTING", "net:CONNECTED");
    }

    @Test
    void tsUnacceptableInIkeAuthMakesWestDeleteTheIkeSa() {
        Lab lab = lab(west("    keyingtries=1\n").replace("rightsubnet=10.2.0.0/24", "rightsubnet=10.9.0.0/24"), east(""));
        lab.drop = d -> d.local().equals(Lab.WEST) && decode(d).header().exchangeType() == ExchangeType.INFORMATIONAL;
        lab.initiate();
        IkeSession e = lab.east.sessions().iterator().next();

        IkeDatagram delete = last(lab.westActions.sentLog);
        assertThat(decode(delete).header().exchangeType()).isEqualTo(ExchangeType.INFORMATIONAL);
        assertThat(decode(delete).header().messageId()).isEqualTo(2);
        assertThat(open(e, delete)).containsExactly(DeletePayload.ikeSa());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE2_FAILED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.PHASE2_FAILED);

        lab.drop = d -> false;
        lab.advance(4_000); // the retransmitted DELETE reaches east
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.PHASE2_FAILED);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE2_FAILED);
        assertThat(lab.westActions.lastError).startsWith("peer answered TS_UNACCEPTABLE");
        assertThat(lab.westActions.installs).isEmpty();
        assertThat(lab.eastActions.removals).isEmpty();
        assertThat(lab.westActions.timers.keySet()).extracting(TimerKey::kind).containsOnly(TimerKey.Kind.KEYING_RETRY);
        assertThat(lab.east.droppedMessages()).isZero();
    }
}
