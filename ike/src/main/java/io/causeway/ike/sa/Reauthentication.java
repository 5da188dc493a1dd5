package io.causeway.ike.sa;

import io.causeway.ike.timing.RekeySchedule;
import java.time.Duration;

/**
 * IKEv1 has no rekeying of the ISAKMP SA itself: strongSwan re-authenticates, negotiating a new ISAKMP SA with the
 * peer, to which the IPsec SAs move, and deleting the old one. The initiator of the SA does it at ikelifetime minus
 * margintime (lowered by up to rekeyfuzz% of the margin); the engine starts the new SA and moves the IPsec SAs once it
 * is established ({@link IsakmpSas}).
 */
final class Reauthentication {
    private final IsakmpSession s;

    Reauthentication(IsakmpSession session) {
        this.s = session;
    }

    void schedule(long now) {
        Duration life = s.connection.ikeLifetime();
        if (!s.initiator || life == null || life.isZero() || life.isNegative() || !(s.connection.rekey() || s.connection.reauth())) {
            return;
        }
        RekeySchedule schedule = RekeySchedule.of(life, s.connection.margin(), s.connection.rekeyFuzzPercent(), s::fuzz);
        s.reauthAt = now + schedule.rekeyAfter().toMillis();
        s.ctx.actions().setTimer(s.timer(TimerKey.Kind.IKE_REKEY), s.reauthAt);
    }

    void due(long now) {
        if (s.established() && !s.superseded) {
            s.reauthWanted = true;
            s.reauthAt = Long.MAX_VALUE;
        }
    }
}
