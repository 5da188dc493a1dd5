package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeRekeyCollisionTest.open;
import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaProposal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CHILD_SA rekey colliding with a DELETE of that CHILD_SA (RFC 7296 2.25.1): the rekey of an SA being deleted
 * gets TEMPORARY_FAILURE, of an SA that is gone CHILD_SA_NOT_FOUND; a DELETE of an SA being rekeyed is answered as
 * usual and the rekey then neither brings the old SA back nor leaves a new one behind.
 */
class IkeRekeyDeleteCollisionTest {
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

    private static void fireRekey(Lab lab, IkeEngine engine, IkeSession s) {
        engine.timerFired(new TimerKey(s.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
    }

    private static List<IkeMessage> sent(Lab.Recorder r, int exchange) {
        return r.sentLog.stream().map(IkeSessionTest::decode).filter(m -> m.header().exchangeType() == exchange).toList();
    }

    /** Every message either side received was one it could read and expected. */
    private static void assertNothingDropped(Lab lab) {
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    private static void assertNoChildSaInstalled(Lab lab) {
        assertThat(lab.westActions.installed()).isEmpty();
        assertThat(lab.eastActions.installed()).isEmpty();
    }

    @Test
    void aRekeyOfAChildSaWeAreDeletingGetsTemporaryFailureAndIsNotRetried() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall childE = e.child().orElseThrow();

        w.deleteChild(lab.now);
        IkeDatagram westDelete = single(lab.westActions.takeSent());
        fireRekey(lab, lab.east, e);
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        IkeDatagram answer = single(lab.westActions.takeSent());
        assertThat(open(e, answer)).containsExactly(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));

        lab.deliverToEast(westDelete);
        // the DELETE of the SA east is rekeying is answered as usual, with east's inbound SPI (1.4.1)
        assertThat(open(w, single(lab.eastActions.takeSent()))).containsExactly(DeletePayload.esp(childE.inboundSpi()));
        lab.deliverToEast(answer);
        lab.deliverAll();

        assertNoChildSaInstalled(lab);
        assertThat(lab.eastActions.installs).hasSize(1); // east's rekey created nothing
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED", "net:DOWN");
        assertThat(lab.eastActions.lastError).isEqualTo("peer deleted the CHILD_SA");
        assertThat(e.child()).isEmpty();
        // east does not retry: nothing is left to rekey
        lab.advance(60 * 60_000);
        assertThat(sent(lab.eastActions, ExchangeType.CREATE_CHILD_SA)).hasSize(1);
        assertThat(lab.eastActions.lifetimes.keySet()).noneMatch(k -> k.kind() == TimerKey.Kind.CHILD_REKEY);
        assertNothingDropped(lab);
    }

    @Test
    void aDeleteOfTheChildSaWeAreRekeyingIsAnsweredAndTheRekeyLeavesNothing() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall childW = w.child().orElseThrow();

        fireRekey(lab, lab.west, w);
        IkeDatagram westRekey = single(lab.westActions.takeSent());
        e.deleteChild(lab.now);
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        IkeDatagram westAnswer = single(lab.westActions.takeSent());
        assertThat(open(e, westAnswer)).containsExactly(DeletePayload.esp(childW.inboundSpi()));
        lab.deliverToEast(westAnswer);
        // east finished deleting before west's rekey request arrives: that SA is unknown now (2.25.1)
        lab.deliverToEast(westRekey);
        IkeDatagram notFound = single(lab.eastActions.takeSent());
        assertThat(open(w, notFound)).containsExactly(new NotifyPayload(SaProposal.PROTOCOL_ESP,
                ByteBuffer.allocate(4).putInt(childW.inboundSpi()).array(), NotifyType.CHILD_SA_NOT_FOUND, new byte[0]));
        lab.deliverToWest(notFound);
        lab.deliverAll();

        assertNoChildSaInstalled(lab);
        assertThat(lab.westActions.installs).hasSize(1);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:DOWN");
        assertThat(lab.westActions.lastError).isEqualTo("peer deleted the CHILD_SA");
        assertThat(w.child()).isEmpty();
        assertThat(lab.westActions.timers).isEmpty();
        assertNothingDropped(lab);
    }

    @Test
    void withCloseactionRestartTheRekeyedSaDeletedByThePeerIsReplacedByANewOne() {
        Lab lab = lab(west("    closeaction=restart\n"), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        fireRekey(lab, lab.west, w);
        IkeDatagram westRekey = single(lab.westActions.takeSent());
        e.deleteChild(lab.now);
        lab.deliverToWest(single(lab.eastActions.takeSent()));
        // east's DELETE is still unanswered when west's rekey arrives: TEMPORARY_FAILURE (2.25.1)
        IkeDatagram westAnswer = single(lab.westActions.takeSent());
        lab.deliverToEast(westRekey);
        IkeDatagram temporary = single(lab.eastActions.takeSent());
        assertThat(open(w, temporary)).containsExactly(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));
        // the loss is settled only once west's rekey is answered
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        lab.deliverToWest(temporary);
        lab.deliverToEast(westAnswer);
        lab.deliverAll();

        // a new CHILD_SA on the same IKE SA, created without REKEY_SA (1.3.1)
        assertThat(only(lab.west)).isSameAs(w);
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(espRoundTrip(w.child().orElseThrow(), e.child().orElseThrow())).isTrue();
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:CONNECTING",
                "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED", "net:DOWN", "net:CONNECTED");
        List<IkeMessage> creates = sent(lab.westActions, ExchangeType.CREATE_CHILD_SA);
        assertThat(creates).hasSize(2);
        List<Payload> create = open(e, lab.westActions.sentLog.stream()
                .filter(d -> decode(d).header().exchangeType() == ExchangeType.CREATE_CHILD_SA).toList().get(1));
        assertThat(create).noneMatch(p -> p instanceof NotifyPayload n && n.notifyType() == NotifyType.REKEY_SA);
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertNothingDropped(lab);
    }

    @Test
    void childSaNotFoundFromAPeerThatLostTheSaMakesUsCreateANewOne() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall old = w.child().orElseThrow();
        e.forgetChildrenSilently();

        fireRekey(lab, lab.west, w);
        lab.deliverAll();

        // like strongSwan: drop the SA the peer does not know, without a DELETE, and create a replacement
        assertThat(lab.westActions.removals).containsExactly(new ChildSaRemoval("net", old.inboundSpi(),
                old.outboundSpi()));
        assertThat(sent(lab.westActions, ExchangeType.INFORMATIONAL)).isEmpty();
        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA)).hasSize(2);
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(espRoundTrip(w.child().orElseThrow(), e.child().orElseThrow())).isTrue();
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:CONNECTING",
                "net:CONNECTED");
        assertNothingDropped(lab);
    }

    @Test
    void crossingDeletesOfTheSameChildSaAreAnsweredWithoutDeletePayloads() {
        Lab lab = lab(west(""), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        w.deleteChild(lab.now);
        e.deleteChild(lab.now);
        IkeDatagram fromWest = single(lab.westActions.takeSent());
        IkeDatagram fromEast = single(lab.eastActions.takeSent());
        lab.deliverToEast(fromWest);
        lab.deliverToWest(fromEast);

        // 1.4.1: a DELETE for SAs we are deleting ourselves is answered without Delete payloads
        IkeDatagram eastAnswer = single(lab.eastActions.takeSent());
        IkeDatagram westAnswer = single(lab.westActions.takeSent());
        assertThat(open(w, eastAnswer)).isEmpty();
        assertThat(open(e, westAnswer)).isEmpty();
        lab.deliverToWest(eastAnswer);
        lab.deliverToEast(westAnswer);
        lab.deliverAll();
        assertNoChildSaInstalled(lab);
        assertThat(lab.westActions.removals).hasSize(1);
        assertThat(lab.eastActions.removals).hasSize(1);
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
    }
}
