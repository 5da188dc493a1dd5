package io.causeway.daemon.gateway;

import io.causeway.ike.sa.ChildSaTimes;
import io.causeway.ike.sa.IkeSaView;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Ages and countdowns for `status`, in whole seconds, from the times the IKE engine scheduled. The engine and
 * the gateway share one clock (System.currentTimeMillis on the control thread), so the differences are exact.
 */
final class SaClock {
    private SaClock() {}

    /** Seconds since the instant, or null when there is none. */
    static Long secondsSince(OptionalLong at, long now) {
        return at.isPresent() ? Math.max(0, now - at.getAsLong()) / 1000 : null;
    }

    /** Seconds until the instant (0 once it is due), or null when nothing is scheduled. */
    static Long secondsUntil(OptionalLong at, long now) {
        return at.isPresent() ? Math.max(0, at.getAsLong() - now) / 1000 : null;
    }

    /** The rekey and expiry times of the CHILD_SA with this inbound SPI, from whichever IKE SA holds it now. */
    static Optional<ChildSaTimes> childTimes(Iterable<IkeSaView> sessions, int inboundSpi) {
        for (IkeSaView s : sessions) {
            if (s.closed()) continue;
            Optional<ChildSaTimes> times = s.childTimes(inboundSpi);
            if (times.isPresent()) return times;
        }
        return Optional.empty();
    }
}
