package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Identity;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.crypto.IkeKeyDerivation;
import io.causeway.ike.crypto.IkeSaKeys;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IdPayload;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IKE_AUTH flood against a half-open responder SA (issue 14): messages with its SPI pair and message id 1, sealed
 * with keys a flooder can derive from what it saw in clear (SPIs and nonces, but a g^ir of its own guessing), or the
 * genuine message with a bit of its ICV flipped. Each must cost east exactly one integrity check, counted where the
 * check runs (the SA's {@link SkProtection}) and in the engine's counters, and nothing else: no random octet drawn (so
 * no DH key pair, SPI, nonce or cookie secret), no new keys, no answer, no retransmission timer, the cached
 * IKE_SA_INIT answer still the one given, and the half-open SA the same with its first expiry. West's genuine
 * IKE_AUTH completes afterwards. The same when every message comes in SKF fragments: each fragment is checked before
 * it is kept (RFC 7383 2.6), one check per fragment, and forged fragments between genuine ones do not spoil the
 * reassembly.
 */
class IkeAuthFloodTest {
    private static final int FORGED = 200;
    /** Fragments of at most 228 octets, as IkeFragmentationTest's 256-octet IP datagrams leave on port 500. */
    private static final int FRAGMENT_MESSAGE = 228;

    @TempDir
    Path dir;

    /** Counts the random octets an engine draws. */
    private static final class CountingRandom implements RandomSource {
        private final RandomSource inner = new DeterministicRandomSource("east");
        long drawn;

        @Override
        public void nextBytes(byte[] out) {
            drawn += out.length;
            inner.nextBytes(out);
        }
    }

    /** East answered west's IKE_SA_INIT; west's IKE_AUTH (one message or its fragments) was held back. */
    private record HalfOpen(Lab lab, CountingRandom eastRandom, IkeSession responder, List<IkeDatagram> auth) {
        static HalfOpen reach(Path dir, String westConf, String eastConf, int fragmentSize) {
            CountingRandom random = new CountingRandom();
            Lab lab = new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS,
                    new DeterministicRandomSource("west"), random);
            lab.west.setFragmentSize(fragmentSize);
            lab.east.setFragmentSize(fragmentSize);
            lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
            lab.westActions.takeSent().forEach(lab::deliverToEast);
            lab.eastActions.takeSent().forEach(lab::deliverToWest);
            List<IkeDatagram> auth = lab.westActions.takeSent();
            assertThat(lab.east.sessions()).hasSize(1);
            IkeSession responder = lab.east.sessions().iterator().next();
            assertThat(responder.halfOpen()).isTrue();
            return new HalfOpen(lab, random, responder, auth);
        }

        void fromWest(byte[] bytes) {
            lab.east.receive(new IkeDatagram(bytes, Lab.EAST, Lab.WEST), lab.now);
        }

        /**
         * What a flooder that knows this SA's SPIs and nonces but not its DH secret can seal: an IKE_AUTH request
         * under keys derived from a shared secret of its own, cut into fragments when maxMessage is small.
         */
        List<byte[]> sealedWithAGuessedKey(int n, int maxMessage) {
            RandomSource guess = new DeterministicRandomSource("flooder-" + n);
            IkeSaKeys keys = IkeKeyDerivation.deriveInitial(responder.suite, guess.nextBytes(256), responder.nonceI,
                    responder.nonceR, IkeSession.spiBytes(responder.spiI), IkeSession.spiBytes(responder.spiR));
            SkProtection forger = new SkProtection(responder.suite, keys, true, guess);
            IkeHeader header = IkeHeader.of(responder.spiI, responder.spiR, ExchangeType.IKE_AUTH, true, false, 1);
            List<Payload> inner = new ArrayList<>();
            inner.add(IdPayload.of(true, Identity.parse("west.example")));
            inner.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
            for (int i = 0; i < 4; i++) {
                inner.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, guess.nextBytes(60)));
            }
            return forger.protect(header, inner, maxMessage);
        }

        /** One of the genuine datagrams with a bit of its ICV (the last 16 octets) flipped. */
        byte[] withIcvBitFlipped(byte[] genuine, int n) {
            byte[] forged = genuine.clone();
            forged[forged.length - 1 - n % 16] ^= (byte) (1 << n % 8);
            return forged;
        }
    }

    /** What east holds and has counted before the flood, to compare with after it. */
    private record Before(long checks, IkeFloodCounters counters, long dropped, long drawn, IkeSaKeys keys,
                          SkProtection sk, Map<TimerKey, Long> timers, int sent) {
        static Before of(HalfOpen h) {
            return new Before(h.responder.sk.inboundChecks(), h.lab.east.floodCounters(), h.lab.east.droppedMessages(),
                    h.eastRandom.drawn, h.responder.keys, h.responder.sk, Map.copyOf(h.lab.eastActions.timers),
                    h.lab.eastActions.sentLog.size());
        }

        /** Each of the datagrams cost one integrity check, failed it, and changed nothing. */
        void assertEachCostOneCheckAndNothingElse(HalfOpen h, int datagrams) {
            IkeFloodCounters now = h.lab.east.floodCounters();
            assertThat(h.responder.sk.inboundChecks() - checks).as("checks by the SA's keys").isEqualTo(datagrams);
            assertThat(now.decryptAttempts() - counters.decryptAttempts()).as("engine's decrypt attempts")
                    .isEqualTo(datagrams);
            assertThat(now.integrityFailures() - counters.integrityFailures()).isEqualTo(datagrams);
            assertThat(h.lab.east.droppedMessages() - dropped).isEqualTo(datagrams);
            assertThat(h.eastRandom.drawn).as("random octets drawn: DH, SPI, nonce, cookie").isEqualTo(drawn);
            assertThat(h.responder.keys).as("no key derivation").isSameAs(keys);
            assertThat(h.responder.sk).isSameAs(sk);
            assertThat(h.lab.east.sessions()).containsExactly(h.responder);
            assertThat(h.responder.halfOpen()).isTrue();
            assertThat(h.lab.east.floodCounters().halfOpen()).isEqualTo(1);
            assertThat(h.lab.eastActions.sentLog).as("no answer").hasSize(sent);
            assertThat(h.lab.eastActions.timers).as("no retransmission, the half-open expiry unchanged")
                    .isEqualTo(timers).containsKey(h.responder.timer(TimerKey.Kind.HALF_OPEN));
            assertThat(h.lab.eastActions.installs).isEmpty();
        }
    }

    /** West's IKE_SA_INIT again: east must answer it from its cache with the octets it sent the first time. */
    private static void assertTheCachedInitAnswerIsUnchanged(HalfOpen h) {
        byte[] firstAnswer = h.lab.eastActions.sentLog.get(0).bytes();
        h.lab.eastActions.takeSent();
        h.fromWest(h.lab.toEast.get(0).bytes());
        List<IkeDatagram> again = h.lab.eastActions.takeSent();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).bytes()).isEqualTo(firstAnswer);
    }

    private static void assertTheGenuineIkeAuthStillCompletes(HalfOpen h, Before before, int forged) {
        h.auth.forEach(h.lab::deliverToEast);
        h.lab.deliverAll();
        assertThat(h.lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(h.lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(h.responder.sk.inboundChecks() - before.checks).isEqualTo(forged + h.auth.size());
    }

    @Test
    void eachForgedIkeAuthCostsOneIntegrityCheckAndChangesNothing() {
        HalfOpen h = HalfOpen.reach(dir, west(""), east(""), IkeEngine.DEFAULT_FRAGMENT_SIZE);
        assertThat(h.auth).hasSize(1);
        Before before = Before.of(h);

        for (int n = 0; n < FORGED; n++) {
            if (n % 2 == 0) {
                List<byte[]> sealed = h.sealedWithAGuessedKey(n, Integer.MAX_VALUE);
                assertThat(sealed).hasSize(1);
                h.fromWest(sealed.get(0));
            } else {
                h.fromWest(h.withIcvBitFlipped(h.auth.get(0).bytes(), n));
            }
        }

        before.assertEachCostOneCheckAndNothingElse(h, FORGED);
        assertTheCachedInitAnswerIsUnchanged(h);
        assertTheGenuineIkeAuthStillCompletes(h, before, FORGED);
    }

    @Test
    void eachForgedFragmentCostsOneIntegrityCheckAndForgeriesBetweenGenuineFragmentsDoNotSpoilReassembly() {
        HalfOpen h = HalfOpen.reach(dir, IkeFragmentationTest.manySubnets(west("")),
                IkeFragmentationTest.manySubnets(east("")), IkeFragmentationTest.FRAGMENT_SIZE);
        assertThat(h.auth).as("west's IKE_AUTH in fragments").hasSizeGreaterThanOrEqualTo(3);
        Before before = Before.of(h);

        int datagrams = 0;
        for (int n = 0; n < FORGED; n++) {
            List<byte[]> forged = n % 2 == 0 ? h.sealedWithAGuessedKey(n, FRAGMENT_MESSAGE)
                    : List.of(h.withIcvBitFlipped(h.auth.get(n % h.auth.size()).bytes(), n));
            if (n % 2 == 0) {
                assertThat(forged).as("sealed as fragments").hasSizeGreaterThanOrEqualTo(2);
            }
            for (byte[] fragment : forged) {
                h.fromWest(fragment);
                datagrams++;
            }
        }
        before.assertEachCostOneCheckAndNothingElse(h, datagrams);
        assertTheCachedInitAnswerIsUnchanged(h);

        // the genuine fragments with forged ones after each: what was kept is never replaced by what failed
        Before midway = Before.of(h);
        int forgedBetween = 0;
        for (int i = 0; i < h.auth.size(); i++) {
            h.lab.deliverToEast(h.auth.get(i));
            if (i < h.auth.size() - 1) {
                for (byte[] fragment : h.sealedWithAGuessedKey(1000 + i, FRAGMENT_MESSAGE)) {
                    h.fromWest(fragment);
                    forgedBetween++;
                }
                h.fromWest(h.withIcvBitFlipped(h.auth.get(i + 1).bytes(), i));
                forgedBetween++;
            }
        }
        h.lab.deliverAll();
        assertThat(h.lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(h.lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(h.responder.sk.inboundChecks() - midway.checks).isEqualTo(forgedBetween + h.auth.size());
        assertThat(h.lab.east.floodCounters().integrityFailures() - midway.counters.integrityFailures())
                .isEqualTo(forgedBetween);
    }
}
