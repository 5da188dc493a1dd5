package io.causeway.ike.v2.sa;

import io.causeway.conf.secrets.Secrets;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.timing.RetransmitSchedule;

/** What every session of one engine shares: secrets, randomness, the actions sink, the retransmit schedule, counters. */
record EngineContext(Secrets secrets, RandomSource random, IkeActions actions, RetransmitSchedule schedule,
                     DropCounter drops) {

    /** Messages dropped because they were malformed, unexpected or failed the integrity check (RFC 7296 2.21). */
    static final class DropCounter {
        private long dropped;

        void drop() {
            dropped++;
        }

        long count() {
            return dropped;
        }
    }
}
