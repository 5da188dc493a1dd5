package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.secrets.Secrets;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.timing.RetransmitSchedule;
import java.util.Collection;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What every session of one engine shares: secrets, randomness, the actions sink, the retransmit schedule, counters,
 * settings, and {@code otherSaWithPeer}: whether the engine holds another IKE SA with a session's peer (an initiator
 * then leaves INITIAL_CONTACT out, RFC 7296 3.10.1), and {@code connections}: the engine's connections as configured now,
 * among which a responder picks the one a new CHILD_SA belongs to, and {@code sessions}: the engine's IKE SAs, for
 * uniqueids.
 */
record EngineContext(CurrentSecrets secrets, RandomSource random, IkeActions actions, RetransmitSchedule schedule,
                     DropCounter drops, InboundActivity activity, EngineSettings settings,
                     Predicate<IkeSession> otherSaWithPeer, Supplier<List<Connection>> connections,
                     Supplier<Collection<IkeSession>> sessions) {

    EngineContext(Secrets secrets, RandomSource random, IkeActions actions, RetransmitSchedule schedule,
                  DropCounter drops) {
        this(new CurrentSecrets(secrets), random, actions, schedule, drops, new InboundActivity(), new EngineSettings(),
                s -> false, List::of, List::of);
    }

    /** A random value in [0, bound], for rekey fuzz and retry back-off; 0 when bound is not positive. */
    long fuzz(long bound) {
        if (bound <= 0) {
            return 0;
        }
        return Long.remainderUnsigned(java.nio.ByteBuffer.wrap(random.nextBytes(8)).getLong(), bound + 1);
    }

    /** Messages dropped because they were malformed, unexpected or failed the integrity check (RFC 7296 2.21). */
    static final class DropCounter {
        private long dropped;
        private long decryptAttempts;
        private long integrityFailures;

        /** An integrity check (and decryption) of a received SK or SKF payload is about to run. */
        void decryptAttempt() {
            decryptAttempts++;
        }

        long decryptAttempts() {
            return decryptAttempts;
        }

        /** A received SK or SKF payload failed its integrity check (RFC 7296 2.21.2: dropped silently). */
        void integrityFailure() {
            integrityFailures++;
        }

        long integrityFailures() {
            return integrityFailures;
        }

        void drop() {
            dropped++;
        }

        long count() {
            return dropped;
        }
    }

    /**
     * When ESP last arrived on an inbound SPI, as the data plane reports it; polled only when a DPD timer
     * fires. {@link Long#MIN_VALUE} means never (or unknown).
     */
    static final class InboundActivity {
        private IntToLongFunction lastInboundMillisBySpi = spi -> Long.MIN_VALUE;

        void set(IntToLongFunction source) {
            lastInboundMillisBySpi = source == null ? spi -> Long.MIN_VALUE : source;
        }

        long lastInbound(int inboundSpi) {
            try {
                return lastInboundMillisBySpi.applyAsLong(inboundSpi);
            } catch (RuntimeException e) {
                return Long.MIN_VALUE; // the daemon's callback must not take the control thread down
            }
        }
    }
}
