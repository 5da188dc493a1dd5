package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.CookieGenerator;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.SaPayload;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Responder cookies and half-open SAs (RFC 7296 2.6), west initiating to east in memory with a fake clock. */
class IkeCookieTest {
    static final InetSocketAddress NORTH = new InetSocketAddress(Net.ip("192.0.2.3"), 500);

    @TempDir
    Path dir;

    private Lab lab() {
        return new Lab(dir, west(""), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS);
    }

    /** A third initiator whose IKE_SA_INIT reaches east but whose IKE_AUTH never comes: one half-open SA on east. */
    private void strayHalfOpen(Lab lab) {
        var conf = Lab.load(dir.resolve("north"), west("").replace("left=192.0.2.1", "left=192.0.2.3"),
                IkeSessionTest.SECRETS);
        Lab.Recorder actions = new Lab.Recorder("north");
        IkeEngine north = new IkeEngine(conf.config().activeConnections(), conf.config().secrets(),
                new DeterministicRandomSource("north"), actions);
        north.initiate("net", NORTH, Lab.EAST, lab.now);
        lab.east.receive(new IkeDatagram(actions.takeSent().get(0).bytes(), Lab.EAST, NORTH), lab.now);
        lab.eastActions.takeSent(); // east's answer goes to north, which is not in the lab
        assertThat(lab.east.halfOpenCount()).isEqualTo(1);
    }

    /** West starts; its first IKE_SA_INIT request is delivered by hand and returned. */
    private static IkeDatagram westsFirstRequest(Lab lab) {
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        IkeDatagram sent = lab.westActions.takeSent().get(0);
        IkeDatagram arriving = new IkeDatagram(sent.bytes(), Lab.EAST, Lab.WEST);
        lab.east.receive(arriving, lab.now);
        return arriving;
    }

    private static IkeMessage lastSent(Lab.Recorder r) {
        return decode(r.sentLog.get(r.sentLog.size() - 1));
    }

    @Test
    void atTheThresholdARequestWithoutCookieGetsOneAndTheInitiatorCompletesThroughTheCookieRound() {
        Lab lab = lab();
        lab.east.setCookieThreshold(1);
        strayHalfOpen(lab);
        int eastSentBefore = lab.eastActions.sentLog.size();

        IkeMessage request = decode(westsFirstRequest(lab));

        // a stateless answer: N(COOKIE) only, no responder SPI, and east keeps nothing for west
        assertThat(lab.eastActions.sentLog).hasSize(eastSentBefore + 1);
        IkeMessage answer = lastSent(lab.eastActions);
        assertThat(answer.header().response()).isTrue();
        assertThat(answer.header().responderSpi()).isZero();
        assertThat(answer.header().initiatorSpi()).isEqualTo(request.header().initiatorSpi());
        assertThat(answer.payloads()).singleElement().isInstanceOfSatisfying(NotifyPayload.class, n -> {
            assertThat(n.notifyType()).isEqualTo(NotifyType.COOKIE);
            assertThat(n.data()).hasSize(CookieGenerator.COOKIE_BYTES);
        });
        assertThat(lab.east.sessions()).hasSize(1); // the stray's
        assertThat(lab.east.halfOpenCount()).isEqualTo(1);
        assertThat(lab.eastActions.timers.keySet()).extracting(TimerKey::kind).containsExactly(TimerKey.Kind.HALF_OPEN);

        lab.deliverAll();

        // west asked again with the cookie first and everything else as before (2.6)
        IkeMessage retry = decode(lab.westActions.sentLog.get(1));
        byte[] cookie = ((NotifyPayload) answer.payloads().get(0)).data();
        assertThat(retry.payloads().get(0)).isEqualTo(NotifyPayload.of(NotifyType.COOKIE, cookie));
        assertThat(retry.header().initiatorSpi()).isEqualTo(request.header().initiatorSpi());
        assertThat(retry.first(NoncePayload.class)).isEqualTo(request.first(NoncePayload.class));
        assertThat(retry.first(KePayload.class)).isEqualTo(request.first(KePayload.class));
        assertThat(retry.first(SaPayload.class)).isEqualTo(request.first(SaPayload.class));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.installs).hasSize(1);
        assertThat(lab.westActions.installs.get(0).outboundKeys()).isEqualTo(lab.eastActions.installs.get(0).inboundKeys());
        assertThat(lab.east.sessions()).hasSize(2);
        assertThat(lab.east.halfOpenCount()).isEqualTo(1); // still only the stray
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void belowTheThresholdNoCookieIsAsked() {
        Lab lab = lab();
        lab.east.setCookieThreshold(2);
        strayHalfOpen(lab);
        lab.initiate();
        assertThat(lab.eastActions.sentLog).noneMatch(d -> !decode(d).notifies(NotifyType.COOKIE).isEmpty());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.sentLog).hasSize(2); // IKE_SA_INIT and IKE_AUTH, once each
    }

    @Test
    void aTamperedCookieIsAnsweredWithAFreshOneAndNoState() {
        Lab lab = lab();
        lab.east.setCookieThreshold(1);
        strayHalfOpen(lab);
        lab.drop = d -> d.local().equals(Lab.WEST); // west's retry with the cookie is captured, not delivered
        westsFirstRequest(lab);
        lab.deliverAll();
        byte[] retry = lab.westActions.sentLog.get(1).bytes();
        assertThat(decode(lab.westActions.sentLog.get(1)).payloads().get(0))
                .isInstanceOfSatisfying(NotifyPayload.class, n -> assertThat(n.notifyType()).isEqualTo(NotifyType.COOKIE));
        // IKE header, the COOKIE payload's generic header and notify fields, then the cookie: flip a hash octet
        retry[28 + 4 + 4 + 10] ^= 1;
        int sentBefore = lab.eastActions.sentLog.size();

        lab.east.receive(new IkeDatagram(retry, Lab.EAST, Lab.WEST), lab.now);

        assertThat(lab.eastActions.sentLog).hasSize(sentBefore + 1);
        IkeMessage answer = lastSent(lab.eastActions);
        assertThat(answer.header().responderSpi()).isZero();
        assertThat(answer.notifies(NotifyType.COOKIE)).hasSize(1);
        assertThat(lab.east.sessions()).hasSize(1);
    }

    @Test
    void aCookieOfThePreviousSecretIsStillAccepted() {
        Lab lab = lab();
        lab.east.setCookieThreshold(1);
        lab.east.setHalfOpenTimeout(Duration.ofMinutes(10)); // the stray must stay half-open meanwhile
        strayHalfOpen(lab);
        lab.drop = d -> d.local().equals(Lab.WEST);
        westsFirstRequest(lab);
        lab.deliverAll();
        byte[] retry = lab.westActions.sentLog.get(1).bytes();

        lab.now += ResponderCookies.SECRET_LIFETIME.toMillis() + 1; // east changes its secret on the next request
        lab.east.receive(new IkeDatagram(retry, Lab.EAST, Lab.WEST), lab.now);

        IkeMessage answer = lastSent(lab.eastActions);
        assertThat(answer.header().responderSpi()).isNotZero();
        assertThat(answer.first(SaPayload.class)).isPresent();
        assertThat(lab.east.sessions()).hasSize(2);
        assertThat(lab.east.halfOpenCount()).isEqualTo(2);
    }

    @Test
    void halfOpenSasAreForgottenAfterThirtySecondsSoCookiesStopBeingAsked() {
        Lab lab = lab();
        lab.east.setCookieThreshold(1);
        strayHalfOpen(lab);

        lab.advance(29_999);
        assertThat(lab.east.sessions()).hasSize(1);
        lab.advance(1);
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.east.halfOpenCount()).isZero();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.eastActions.states).isEmpty(); // no connection of east was ever attempted by a known peer

        lab.initiate();
        assertThat(lab.eastActions.sentLog).noneMatch(d -> !decode(d).notifies(NotifyType.COOKIE).isEmpty());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.timers).isEmpty(); // IKE_AUTH cancelled the half-open timeout
    }

    @Test
    void anInitiatorGivesUpAfterFiveCookieRounds() {
        Lab lab = new Lab(dir, west("    keyingtries=1\n"), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS);
        lab.east.setCookieThreshold(1);
        strayHalfOpen(lab);
        // every retry is answered with a fresh cookie, as a responder whose cookies never verify would
        lab.drop = d -> {
            if (d.local().equals(Lab.WEST)) {
                IkeMessage m = decode(d);
                if (!m.notifies(NotifyType.COOKIE).isEmpty()) {
                    byte[] tampered = d.bytes();
                    tampered[28 + 4 + 4 + 10] ^= 1;
                    lab.east.receive(new IkeDatagram(tampered, Lab.EAST, Lab.WEST), lab.now);
                    return true;
                }
            }
            return false;
        };
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        List<IkeMessage> requests = lab.westActions.sentLog.stream().map(IkeSessionTest::decode).toList();
        assertThat(requests).hasSize(1 + IkeSession.MAX_COOKIE_ROUNDS);
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE1_FAILED);
        assertThat(lab.westActions.lastError).isEqualTo("peer kept answering IKE_SA_INIT with a new COOKIE");
    }

    @Test
    void settersRejectNonsense() {
        Lab lab = lab();
        assertThatThrownBy(() -> lab.east.setCookieThreshold(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lab.east.setHalfOpenTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
