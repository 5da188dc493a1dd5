package io.causeway.ike.timing;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * When an SA is replaced and when it expires, as strongSwan computes it (ipsec.conf EXPIRY/REKEY):
 * replacement starts at lifetime - margin - random(0 .. margin × rekeyfuzz%), so two gateways with
 * the same settings rarely rekey at once; the SA is gone at lifetime. The same rule applies to byte
 * and packet limits with marginbytes and marginpackets.
 */
public record RekeySchedule(Duration rekeyAfter, Duration expireAfter) {

    /**
     * @param random returns a uniformly random value in [0, bound] for a bound >= 0; injected so
     *               engines stay deterministic under test
     */
    public static RekeySchedule of(Duration lifetime, Duration margin, int fuzzPercent, LongUnaryOperator random) {
        long marginMs = margin.toMillis();
        long fuzzMs = random.applyAsLong(marginMs * fuzzPercent / 100);
        long rekeyMs = Math.max(0, lifetime.toMillis() - marginMs - fuzzMs);
        return new RekeySchedule(Duration.ofMillis(rekeyMs), lifetime);
    }

    /** The soft limit for a byte or packet count; 0 when there is no limit (life == 0). */
    public static long softLimit(long life, long margin, int fuzzPercent, LongUnaryOperator random) {
        if (life <= 0) {
            return 0;
        }
        long fuzz = random.applyAsLong(margin * fuzzPercent / 100);
        return Math.max(1, life - margin - fuzz);
    }
}
