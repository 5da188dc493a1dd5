package io.causeway.ike.sa;

import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.net.IpLiteral;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.List;

/**
 * Dead peer detection (RFC 7296 2.4) with the IKE-level dpddelay and dpdaction: when neither an IKE message nor
 * ESP on a live CHILD_SA arrived for dpddelay, an empty INFORMATIONAL request goes out; when a request of ours on
 * an established SA stays unanswered through the retransmission schedule the peer is dead, its CHILD_SAs go, the
 * tunnel is DOWN and dpdaction=restart initiates again. The peer's liveness checks are answered by
 * {@link InformationalExchange}.
 */
final class DpdTask {
    private final IkeSession s;

    DpdTask(IkeSession session) {
        this.s = session;
    }

    /** Arms the DPD timer dpddelay after the last inbound IKE message, when the connection asks for DPD. */
    void arm() {
        long delay = s.connection.dpdDelay().toMillis();
        if (s.phase == Phase.ESTABLISHED && s.children.hasLive() && s.connection.dpdAction() != DpdAction.NONE
                && delay > 0) {
            s.ctx.actions().setTimer(s.dpdKey(), s.lastInbound + delay);
        }
    }

    /** No CHILD_SA is left on this IKE SA, whichever connection had it: nothing to check liveness for. */
    void stopIfIdle() {
        if (!s.children.hasLive()) {
            s.ctx.actions().cancelTimer(s.dpdKey());
        }
    }

    void onTimer(long now) {
        DpdAction action = s.connection.dpdAction();
        long delay = s.connection.dpdDelay().toMillis();
        if (s.phase != Phase.ESTABLISHED || !s.children.hasLive() || action == DpdAction.NONE || delay <= 0) {
            return;
        }
        if (s.transport.outstanding()) {
            // an exchange is under way: its answer (or its failure) tells whether the peer is alive
            s.ctx.actions().setTimer(s.dpdKey(), now + delay);
            return;
        }
        long last = s.lastInbound;
        for (ChildSaBook.Entry e : s.children.live()) {
            last = Math.max(last, s.ctx.activity().lastInbound(e.sa.inboundSpi()));
        }
        if (last != Long.MIN_VALUE && now - last < delay) {
            s.ctx.actions().setTimer(s.dpdKey(), last + delay);
            return;
        }
        s.transport.sendInformational(List.of(), now); // 2.4: an empty INFORMATIONAL request is the liveness check
    }

    /** A request of ours went unanswered on an established SA: the peer is dead (2.4), apply dpdaction. */
    void deadPeer() {
        s.children.forgetAll();
        s.cancelTimers();
        s.phase = Phase.CLOSED;
        s.allDown("peer " + IpLiteral.format(s.remote.getAddress()) + " did not answer DPD (dead peer)",
                DownCause.DEAD_PEER);
        // clear and hold both leave the tunnel DOWN here; for hold the daemon installs the trap
        s.restartWanted = s.connection.dpdAction() == DpdAction.RESTART;
    }
}
