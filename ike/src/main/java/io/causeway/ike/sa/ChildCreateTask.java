package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.ike.TunnelState;
import io.causeway.ike.sa.IkeSession.Phase;

/**
 * A new CHILD_SA on an established IKE SA, as initiator (RFC 7296 1.3.1): CREATE_CHILD_SA without N(REKEY_SA),
 * proposed like the one of IKE_AUTH, with PFS when the esp proposal has a DH group. Started when the IKE SA lost
 * its last CHILD_SA and one is wanted (after a hard expiry with auto=start or auto=route, after the peer deleted it
 * with closeaction=restart, after CHILD_SA_NOT_FOUND to our rekey); a TEMPORARY_FAILURE (2.25) is retried 10 to
 * 20 s later, a refusal leaves the tunnel PHASE2_FAILED with the IKE SA up. The peer's requests of this kind are
 * answered by {@link CreateChildSaResponder}.
 */
final class ChildCreateTask extends ChildSaTask {
    private ChildCreateTask(IkeSession session, PendingExchange exchange, Connection connection) {
        super(session, exchange, connection);
    }

    /**
     * CHILD_CREATE timer, or the window came free: create the wanted CHILD_SA of this IKE SA's own connection unless
     * one exists by now, else the first CHILD_SA a connection sharing the IKE SA waits for.
     */
    static void startWanted(IkeSession s, long now) {
        boolean own = s.childWanted && !s.children.hasLive(s.connection.name());
        if (s.phase != Phase.ESTABLISHED || !own && !s.sharing.waiting()) {
            return;
        }
        if (now < s.childCreateNotBefore) {
            // backing off after TEMPORARY_FAILURE (also on the IKE SA that took over from the one that got it)
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.CHILD_CREATE), s.childCreateNotBefore);
            return;
        }
        if (s.transport.outstanding() || s.pending() != null) {
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.CHILD_CREATE), now + 1000);
            return;
        }
        // one exchange at a time (2.3): the own connection's CHILD_SA first, then those sharing the IKE SA in order
        start(s, own ? s.connection : s.sharing.takeNextWanted(), now);
    }

    private static void start(IkeSession s, Connection c, long now) {
        PendingExchange exchange = PendingExchange.childCreate(SaWire.newEspSpi(s.ctx.random()),
                s.ctx.random().nextBytes(IkeSession.NONCE_BYTES), pfsGroup(c), ChildSaMode.wanted(c));
        new ChildCreateTask(s, exchange, c).sendRequest(now);
    }

    @Override
    void created(ChildSaInstall created, byte[] nr, long now) {
        s.keeper.install(created, connection, now);
        s.keeper.childUp(connection);
    }

    @Override
    boolean failed(int notify, boolean temporary, long retryAt, String error, long now) {
        if (s.children.hasLive(connection.name())) {
            return false; // the peer created one meanwhile
        }
        if (temporary) {
            if (s.isShared(connection)) {
                s.sharing.wantAgain(connection);
            }
            s.childCreateNotBefore = retryAt;
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.CHILD_CREATE), retryAt);
            return false;
        }
        if (s.isShared(connection)) {
            s.sharing.failed(connection, error, failureCause);
            return true;
        }
        s.childWanted = false;
        s.reportFailed(TunnelState.PHASE2_FAILED, error, failureCause);
        return true;
    }
}
