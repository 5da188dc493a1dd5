package io.causeway.ike.sa;

import io.causeway.conf.connection.CloseAction;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.List;

/**
 * Ending the IKE SA (RFC 7296 1.4.1, 2.4): our INFORMATIONAL DELETE of it when closed locally (retransmitted until
 * answered, or sent once at shutdown), the peer's DELETE of it (answered empty; its CHILD_SAs go with it, and
 * closeaction=restart initiates again), and forgetting it without a DELETE when the peer restarted and sent
 * INITIAL_CONTACT on a newer IKE SA (2.4).
 */
final class IkeDeleteTask {
    private final IkeSession s;

    IkeDeleteTask(IkeSession session) {
        this.s = session;
    }

    /**
     * Closes this SA on our side: an established one sends the DELETE of the IKE SA and removes its CHILD_SA; with
     * {@code awaitAnswer} it retransmits the DELETE until answered, otherwise (shutdown) it is forgotten at once.
     * Anything not established is simply abandoned. Reports DOWN.
     */
    void closeLocally(long now, boolean awaitAnswer) {
        if (s.phase == Phase.CLOSED) {
            return;
        }
        s.closedLocally = true;
        s.ctx.actions().cancelTimer(s.dpdKey());
        if (s.phase == Phase.REKEYED) {
            s.close(); // replaced by a rekey: the new IKE SA sends the DELETE and reports DOWN
            return;
        }
        boolean wasReported = s.state != TunnelState.DOWN && !s.superseded;
        if (s.phase == Phase.ESTABLISHED) {
            s.children.forgetAll();
            s.transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
            s.phase = Phase.DELETING;
        }
        if (s.phase != Phase.DELETING || !awaitAnswer) {
            s.cancelTimers();
            s.phase = Phase.CLOSED;
        }
        if (wasReported) {
            s.down(null, DownCause.OTHER);
        }
        s.sharing.allDown(null, DownCause.OTHER);
    }

    /** The peer deleted the IKE SA: it and its CHILD_SAs are gone; the answer is empty (1.4.1). */
    void peerDeleted(IkeMessage request, long now) {
        s.transport.sendProtectedResponse(request, List.of());
        PendingExchange pending = s.pending();
        if (pending != null && pending.peerIkeSa != null && !pending.peerIkeSa.closed()) {
            // 2.8.2: the peer won a rekey collision and deleted this IKE SA before our answer came: its new
            // IKE SA takes over the CHILD_SAs
            IkeRekeyTask.handOver(s, pending.peerIkeSa, now);
        }
        s.children.forgetAll();
        s.cancelTimers();
        s.phase = Phase.CLOSED;
        if (s.superseded) {
            return; // the old IKE SA of a rekey: its CHILD_SAs live on in the new one (2.18)
        }
        if (s.state != TunnelState.PHASE1_FAILED && s.state != TunnelState.PHASE2_FAILED) {
            s.allDown("peer deleted the IKE SA", DownCause.PEER_DELETED);
        } // an SA whose CHILD_SA already failed keeps its failure and error for the console
        s.restartWanted = s.connection.closeAction() == CloseAction.RESTART;
    }

    /**
     * uniqueids=yes/replace: a newer IKE SA of the same identities and connection took over. This one is deleted with
     * a DELETE (the peer still knows it, unlike after INITIAL_CONTACT) and its CHILD_SAs leave the data plane; DOWN is
     * reported only for connections the newer SA does not speak for.
     */
    void replacedBy(String newerConnection, long now) {
        s.closedLocally = true; // neither a keying retry nor a restart
        boolean report = !s.superseded && s.state == TunnelState.CONNECTED && !s.connection.name().equals(newerConnection);
        s.children.forgetAll();
        s.transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
        s.phase = Phase.DELETING;
        s.state = TunnelState.DOWN;
        s.lastError = "replaced by a newer IKE SA with the same identities (uniqueids)";
        if (report) {
            s.ctx.actions().stateChanged(s.connection.name(), TunnelState.DOWN, s.lastError);
        }
        s.sharing.handedOver(newerConnection);
        s.sharing.allDown(s.lastError, DownCause.OTHER);
    }

    /**
     * The peer restarted: a newer IKE SA between the same identities came with INITIAL_CONTACT (2.4). This SA and its
     * CHILD_SAs are forgotten without a DELETE; DOWN is reported only for another connection than the newer SA's,
     * which speaks for its own.
     */
    void forgetForInitialContact(String newerConnection) {
        boolean report = !s.superseded && s.state == TunnelState.CONNECTED && !s.connection.name().equals(newerConnection);
        s.closedLocally = true; // neither a keying retry nor a restart
        s.children.forgetAll();
        s.close();
        s.state = TunnelState.DOWN;
        s.lastError = "peer restarted: INITIAL_CONTACT on a new IKE SA";
        if (report) {
            s.ctx.actions().stateChanged(s.connection.name(), TunnelState.DOWN, s.lastError);
        }
        s.sharing.handedOver(newerConnection); // the newer SA speaks for it
        s.sharing.allDown(s.lastError, DownCause.OTHER);
    }
}
