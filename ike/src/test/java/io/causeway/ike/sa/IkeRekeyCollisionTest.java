package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ends rekey the same SA at once (RFC 7296 2.8.1 CHILD_SA, 2.8.2 IKE SA), and rekeys colliding with each
 * other (2.25): whatever order the answers and DELETEs arrive in, both ends keep the same one new SA, the redundant
 * one is deleted by the initiator of its exchange, the old one once, and nothing leaks.
 */
class IkeRekeyCollisionTest {
    /** Seed pairs for the two engines' random numbers: they decide the nonces and so who wins. */
    static final List<String[]> SEEDS = List.of(new String[] {"west", "east"}, new String[] {"west-1", "east-1"},
            new String[] {"west-2", "east-2"}, new String[] {"west-3", "east-3"}, new String[] {"west-4", "east-4"});

    @TempDir
    Path dir;

    /** How the four messages of two crossing CREATE_CHILD_SA exchanges arrive once both requests were answered. */
    enum Order {
        WEST_ANSWER_FIRST,
        EAST_ANSWER_FIRST,
        /** West settles the collision and its follow-up DELETE overtakes east's answer. */
        WEST_DELETE_OVERTAKES_EAST_ANSWER,
        EAST_DELETE_OVERTAKES_WEST_ANSWER
    }

    static Stream<Arguments> seedsAndOrders() {
        List<Arguments> out = new ArrayList<>();
        for (String[] seeds : SEEDS) {
            for (Order order : Order.values()) {
                out.add(Arguments.of(seeds[0], seeds[1], order));
            }
        }
        return out.stream();
    }

    private Lab lab(String westSeed, String eastSeed) {
        Path d = dir.resolve(westSeed + "-" + eastSeed + "-" + System.nanoTime());
        return new Lab(d, west(""), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS, westSeed, eastSeed);
    }

    private static IkeSession only(IkeEngine engine) {
        assertThat(engine.sessions()).hasSize(1);
        return engine.sessions().iterator().next();
    }

    private static IkeDatagram single(List<IkeDatagram> sent) {
        assertThat(sent).hasSize(1);
        return sent.get(0);
    }

    static List<Payload> open(IkeSession receiver, IkeDatagram d) {
        try {
            return receiver.decryptFromPeer(decode(d));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] nonce(List<Payload> payloads) {
        return payloads.stream().filter(NoncePayload.class::isInstance).map(p -> ((NoncePayload) p).nonce()).findFirst()
                .orElseThrow();
    }

    private static byte[] saSpi(List<Payload> payloads) {
        return payloads.stream().filter(SaPayload.class::isInstance).map(p -> ((SaPayload) p).proposals().get(0).spi())
                .findFirst().orElseThrow();
    }

    /** The lower of two nonces as plain unsigned numbers; equal-length nonces, so no prefix rule is needed here. */
    private static BigInteger lower(byte[] a, byte[] b) {
        return new BigInteger(1, a).min(new BigInteger(1, b));
    }

    /** The four messages of two crossing exchanges and what they say. */
    record Crossing(List<Payload> westRequest, List<Payload> eastRequest, List<Payload> answerToWest,
                    List<Payload> answerToEast) {
        /** 2.8.1/2.8.2: the exchange holding the lowest of the four nonces made the redundant SA. */
        boolean westWins() {
            BigInteger westExchange = lower(nonce(westRequest), nonce(answerToWest));
            BigInteger eastExchange = lower(nonce(eastRequest), nonce(answerToEast));
            return westExchange.compareTo(eastExchange) > 0;
        }
    }

    /**
     * Fires the same rekey timer on both ends at once: the requests cross, each end answers the other's, then the
     * answers (and what they trigger) arrive in the given order; finally everything is delivered.
     */
    private Crossing cross(Lab lab, IkeSession w, IkeSession e, TimerKey.Kind kind, Order order) {
        lab.west.timerFired(new TimerKey(w.localSpi(), kind), lab.now);
        lab.east.timerFired(new TimerKey(e.localSpi(), kind), lab.now);
        IkeDatagram westRequest = single(lab.westActions.takeSent());
        IkeDatagram eastRequest = single(lab.eastActions.takeSent());
        lab.deliverToEast(westRequest);
        lab.deliverToWest(eastRequest);
        IkeDatagram answerToWest = single(lab.eastActions.takeSent());
        IkeDatagram answerToEast = single(lab.westActions.takeSent());
        Crossing c = new Crossing(open(e, westRequest), open(w, eastRequest), open(w, answerToWest), open(e, answerToEast));
        switch (order) {
            case WEST_ANSWER_FIRST -> {
                lab.deliverToWest(answerToWest);
                lab.deliverToEast(answerToEast);
            }
            case EAST_ANSWER_FIRST -> {
                lab.deliverToEast(answerToEast);
                lab.deliverToWest(answerToWest);
            }
            case WEST_DELETE_OVERTAKES_EAST_ANSWER -> {
                lab.deliverToWest(answerToWest);
                lab.westActions.takeSent().forEach(lab::deliverToEast);
                lab.deliverToEast(answerToEast);
            }
            case EAST_DELETE_OVERTAKES_WEST_ANSWER -> {
                lab.deliverToEast(answerToEast);
                lab.eastActions.takeSent().forEach(lab::deliverToWest);
                lab.deliverToWest(answerToWest);
            }
        }
        lab.deliverAll();
        return c;
    }

    /** INFORMATIONAL requests (not answers) an end sent that delete this ESP SPI. */
    private static long deleteRequests(Lab.Recorder sender, IkeSession receiver, int spi) {
        return sender.sentLog.stream().filter(d -> {
            IkeMessage m = decode(d);
            return m.header().exchangeType() == ExchangeType.INFORMATIONAL && !m.header().response();
        }).filter(d -> open(receiver, d).stream().anyMatch(p -> p instanceof DeletePayload del
                && del.protocolId() == 3 && java.util.Arrays.stream(del.spisAsInts()).anyMatch(s -> s == spi))).count();
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("seedsAndOrders")
    void simultaneousChildRekeysLeaveOneNewChildSa(String westSeed, String eastSeed, Order order) {
        Lab lab = lab(westSeed, eastSeed);
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall oldW = w.child().orElseThrow();
        ChildSaInstall oldE = e.child().orElseThrow();
        lab.checkEachSendsWhatThePeerReceives(); // at every step, whoever wins and in whatever order

        Crossing c = cross(lab, w, e, TimerKey.Kind.CHILD_REKEY, order);
        boolean westWins = c.westWins();

        // the survivor is the SA of the winner's exchange: west's inbound SPI from west's request or west's answer
        int survivorWestInbound = ByteBuffer.wrap(saSpi(westWins ? c.westRequest() : c.answerToEast())).getInt();
        ChildSaInstall nowW = w.child().orElseThrow();
        ChildSaInstall nowE = e.child().orElseThrow();
        assertThat(nowW.inboundSpi()).isEqualTo(survivorWestInbound);
        assertThat(nowW.outboundSpi()).isEqualTo(nowE.inboundSpi());
        assertThat(nowW.inboundSpi()).isEqualTo(nowE.outboundSpi());
        assertThat(espRoundTrip(nowW, nowE)).isTrue();
        assertThat(espRoundTrip(nowE, nowW)).isTrue();
        // nothing leaked, nothing removed twice (installed() checks that)
        assertThat(lab.westActions.installed()).containsExactly(nowW);
        assertThat(lab.eastActions.installed()).containsExactly(nowE);
        // the loser never installed its redundant SA
        assertThat(lab.westActions.installs).hasSize(westWins ? 3 : 2);
        assertThat(lab.eastActions.installs).hasSize(westWins ? 2 : 3);
        // the old SA is deleted by the winner only; the redundant one by its creator (the loser) only
        Lab.Recorder winner = westWins ? lab.westActions : lab.eastActions;
        Lab.Recorder loser = westWins ? lab.eastActions : lab.westActions;
        IkeSession winnerPeer = westWins ? e : w;
        IkeSession loserPeer = westWins ? w : e;
        int winnerOld = (westWins ? oldW : oldE).inboundSpi();
        int loserOld = (westWins ? oldE : oldW).inboundSpi();
        int redundantAtLoser = ByteBuffer.wrap(saSpi(westWins ? c.eastRequest() : c.westRequest())).getInt();
        assertThat(deleteRequests(winner, winnerPeer, winnerOld)).isEqualTo(1);
        assertThat(deleteRequests(loser, loserPeer, loserOld)).isZero();
        assertThat(deleteRequests(loser, loserPeer, redundantAtLoser)).isEqualTo(1);
        assertThat(deleteRequests(winner, winnerPeer, (westWins ? nowW : nowE).inboundSpi())).isZero();
        // one SA sends on each side, the survivor: the winner's from its answer on, the loser's (installed receiving
        // only, as it answered the winner's rekey) once the winner deleted the old SA; the redundant one never sends
        assertThat(lab.westActions.sendingOn()).isEqualTo(nowW);
        assertThat(lab.eastActions.sendingOn()).isEqualTo(nowE);
        assertThat(winner.activations).isEmpty();
        assertThat(loser.activations).containsExactly((westWins ? nowE : nowW).inboundSpi());
        // the tunnel never left CONNECTED
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();

        // and the next rekey is an ordinary one
        lab.west.timerFired(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.deliverAll();
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(w.child().orElseThrow()).isNotEqualTo(nowW);
        assertThat(espRoundTrip(w.child().orElseThrow(), e.child().orElseThrow())).isTrue();
    }

    @Test
    void theSeedsMakeEachSideWinSomeCollisions() {
        Set<Boolean> westWon = new java.util.HashSet<>();
        for (String[] seeds : SEEDS) {
            Lab lab = lab(seeds[0], seeds[1]);
            IkeSession w = lab.initiate();
            westWon.add(cross(lab, w, only(lab.east), TimerKey.Kind.CHILD_REKEY, Order.WEST_ANSWER_FIRST).westWins());
        }
        assertThat(westWon).containsExactlyInAnyOrder(true, false);
    }

    /**
     * West's answer arrives before east's request does: for west this is no collision, so east's request names an SA
     * west is deleting and gets TEMPORARY_FAILURE (2.25.1); east then keeps west's new SA.
     */
    @Test
    void aRekeyRequestArrivingAfterOurRekeyCompletedGetsTemporaryFailure() {
        Lab lab = lab("west", "east");
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        lab.west.timerFired(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.east.timerFired(new TimerKey(e.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        IkeDatagram westRequest = single(lab.westActions.takeSent());
        IkeDatagram eastRequest = single(lab.eastActions.takeSent());
        lab.deliverToEast(westRequest);
        lab.deliverToWest(single(lab.eastActions.takeSent())); // west's rekey completes, its DELETE of the old SA waits
        lab.deliverToWest(eastRequest);

        List<IkeDatagram> fromWest = lab.westActions.takeSent();
        assertThat(fromWest).hasSize(2);
        assertThat(open(e, fromWest.get(1))).containsExactly(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));
        fromWest.forEach(lab::deliverToEast);
        lab.deliverAll();

        ChildSaInstall nowW = w.child().orElseThrow();
        ChildSaInstall nowE = e.child().orElseThrow();
        assertThat(nowW.inboundSpi()).isEqualTo(ByteBuffer.wrap(saSpi(open(e, westRequest))).getInt());
        assertThat(nowW.outboundSpi()).isEqualTo(nowE.inboundSpi());
        assertThat(lab.westActions.installed()).containsExactly(nowW);
        assertThat(lab.eastActions.installed()).containsExactly(nowE);
        assertThat(lab.eastActions.installs).hasSize(2); // east's own rekey never created anything
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.eastActions.lifetimes.keySet()).noneMatch(k -> k.kind() == TimerKey.Kind.CHILD_REKEY
                && lab.eastActions.lifetimes.get(k) < lab.now + 60_000); // no retry of the abandoned rekey
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("seedsAndOrders")
    void simultaneousIkeRekeysLeaveOneNewIkeSaWithTheChildSas(String westSeed, String eastSeed, Order order) {
        Lab lab = lab(westSeed, eastSeed);
        IkeSession oldW = lab.initiate();
        IkeSession oldE = only(lab.east);
        ChildSaInstall childW = oldW.child().orElseThrow();
        ChildSaInstall childE = oldE.child().orElseThrow();
        lab.checkEachSendsWhatThePeerReceives();

        Crossing c = cross(lab, oldW, oldE, TimerKey.Kind.IKE_REKEY, order);
        boolean westWins = c.westWins();
        lab.advance(10 * 60_000); // lingering IKE SAs, had the peer not deleted them, would be gone by now

        IkeSession w = only(lab.west);
        IkeSession e = only(lab.east);
        assertThat(w.initiatorSpi()).isEqualTo(e.initiatorSpi());
        assertThat(w.responderSpi()).isEqualTo(e.responderSpi());
        // the survivor is the IKE SA of the winner's exchange (2.18: its initiator is the winner)
        assertThat(w.isInitiator()).isEqualTo(westWins);
        long winnerSpiI = ByteBuffer.wrap(saSpi(westWins ? c.westRequest() : c.eastRequest())).getLong();
        long winnerSpiR = ByteBuffer.wrap(saSpi(westWins ? c.answerToWest() : c.answerToEast())).getLong();
        assertThat(w.initiatorSpi()).isEqualTo(winnerSpiI);
        assertThat(w.responderSpi()).isEqualTo(winnerSpiR);
        assertThat(w.rekeyed()).isFalse();
        assertThat(e.rekeyed()).isFalse();
        // the CHILD_SAs moved to it untouched
        assertThat(w.child()).contains(childW);
        assertThat(e.child()).contains(childE);
        assertThat(lab.westActions.installed()).containsExactly(childW);
        assertThat(lab.eastActions.installed()).containsExactly(childE);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.eastActions.removals).isEmpty();
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.westActions.lifetimes.keySet()).allMatch(k -> k.localSpi() == w.localSpi());
        assertThat(lab.eastActions.lifetimes.keySet()).allMatch(k -> k.localSpi() == e.localSpi());
        // the old IKE SA is deleted by the winner, the redundant one by the loser (its initiator), once each
        long redundantSpiI = ByteBuffer.wrap(saSpi(westWins ? c.eastRequest() : c.westRequest())).getLong();
        Lab.Recorder winner = westWins ? lab.westActions : lab.eastActions;
        Lab.Recorder loser = westWins ? lab.eastActions : lab.westActions;
        List<IkeDatagram> oldDeletes = informationalRequests(winner, oldW.initiatorSpi());
        assertThat(oldDeletes).hasSize(1);
        assertThat(open(westWins ? oldE : oldW, oldDeletes.get(0))).containsExactly(DeletePayload.ikeSa());
        assertThat(informationalRequests(loser, oldW.initiatorSpi())).isEmpty();
        assertThat(informationalRequests(winner, redundantSpiI)).isEmpty();
        boolean overtaken = (order == Order.WEST_DELETE_OVERTAKES_EAST_ANSWER && westWins)
                || (order == Order.EAST_DELETE_OVERTAKES_WEST_ANSWER && !westWins);
        if (!overtaken) {
            assertThat(informationalRequests(loser, redundantSpiI)).hasSize(1);
            assertThat(lab.west.droppedMessages()).isZero();
            assertThat(lab.east.droppedMessages()).isZero();
        } else {
            // the winner's DELETE of the old IKE SA overtook the answer to the loser's rekey: the loser moved the
            // CHILD_SAs to the winner's IKE SA on that DELETE, so its own new IKE SA never came to be, and the late
            // answer found its IKE SA closed; the winner forgot the loser's IKE SA after waiting for its DELETE
            assertThat(informationalRequests(loser, redundantSpiI)).isEmpty();
            assertThat((westWins ? lab.east : lab.west).droppedMessages()).isEqualTo(1);
            assertThat((westWins ? lab.west : lab.east).droppedMessages()).isZero();
        }

        assertThat(lab.westActions.ikeRekeys).as("rekeys reported by west").isEqualTo(1);
        assertThat(lab.eastActions.ikeRekeys).as("rekeys reported by east").isEqualTo(1);

        // the new IKE SA works: a liveness check each way and a CHILD_SA rekey with its SK_d
        assertThat(w.informational(List.of(), lab.now)).isTrue();
        assertThat(e.informational(List.of(), lab.now)).isTrue();
        lab.deliverAll();
        lab.east.timerFired(new TimerKey(e.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.deliverAll();
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(espRoundTrip(w.child().orElseThrow(), e.child().orElseThrow())).isTrue();
        lab.west.close("net", lab.now);
        lab.deliverAll();
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.westActions.lifetimes).isEmpty();
        assertThat(lab.eastActions.lifetimes).isEmpty();
    }

    /** INFORMATIONAL requests an end sent on the IKE SA with this initiator SPI. */
    private static List<IkeDatagram> informationalRequests(Lab.Recorder sender, long initiatorSpi) {
        return sender.sentLog.stream().filter(d -> {
            IkeMessage m = decode(d);
            return m.header().exchangeType() == ExchangeType.INFORMATIONAL && !m.header().response()
                    && m.header().initiatorSpi() == initiatorSpi;
        }).toList();
    }

    /** 2.25: a CHILD_SA rekey colliding with an IKE SA rekey is refused with TEMPORARY_FAILURE and both retry. */
    @Test
    void childRekeyCollidingWithIkeRekeyIsRefusedAndBothSucceedLater() {
        Lab lab = lab("west", "east");
        IkeSession oldW = lab.initiate();
        IkeSession oldE = only(lab.east);
        ChildSaInstall first = oldW.child().orElseThrow();
        lab.west.timerFired(new TimerKey(oldW.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.east.timerFired(new TimerKey(oldE.localSpi(), TimerKey.Kind.IKE_REKEY), lab.now);
        IkeDatagram westRequest = single(lab.westActions.takeSent());
        IkeDatagram eastRequest = single(lab.eastActions.takeSent());
        lab.deliverToEast(westRequest);
        lab.deliverToWest(eastRequest);
        IkeDatagram answerToWest = single(lab.eastActions.takeSent());
        IkeDatagram answerToEast = single(lab.westActions.takeSent());
        assertThat(open(oldW, answerToWest)).containsExactly(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));
        assertThat(open(oldE, answerToEast)).containsExactly(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));
        lab.deliverToWest(answerToWest);
        lab.deliverToEast(answerToEast);
        lab.deliverAll();
        assertThat(lab.westActions.installs).hasSize(1);
        assertThat(lab.east.sessions()).containsExactly(oldE);

        lab.advance(25_000); // both retry 10 to 20 s later

        IkeSession w = only(lab.west);
        IkeSession e = only(lab.east);
        assertThat(w).isNotSameAs(oldW);
        assertThat(e.isInitiator()).isTrue(); // east's IKE SA rekey went through
        assertThat(lab.westActions.installs).hasSize(2); // and so did west's CHILD_SA rekey
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(w.child().orElseThrow()).isNotEqualTo(first);
        assertThat(espRoundTrip(w.child().orElseThrow(), e.child().orElseThrow())).isTrue();
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }
}
