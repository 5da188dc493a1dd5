package io.causeway.ike.sa;

import static io.causeway.ike.sa.SaWire.only;

import io.causeway.conf.connection.CloseAction;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * INFORMATIONAL exchanges on an established IKE SA (RFC 7296 1.4, 2.4), both directions. A request of the peer is
 * split by its payloads: an empty one is a liveness check, answered empty ({@link DpdTask} sends ours); DELETEs of
 * CHILD_SAs go to {@link ChildDeleteTask} and are answered with the DELETE of our inbound SPIs (1.4.1); a DELETE of
 * the IKE SA goes to {@link IkeDeleteTask}; any other notify is answered empty. The answer to any INFORMATIONAL
 * request of ours completes the DELETEs it carried and frees the window for what waited.
 */
final class InformationalExchange {
    private final IkeSession s;

    InformationalExchange(IkeSession session) {
        this.s = session;
    }

    void onRequest(IkeMessage m, long now) {
        List<Payload> inner = s.transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        s.lastInbound = now;
        boolean ikeDeleted = false;
        boolean liveDeleted = false;
        List<Integer> ourInbound = new ArrayList<>();
        ChildDeleteTask childDelete = new ChildDeleteTask(s);
        for (DeletePayload delete : only(inner, DeletePayload.class)) {
            if (delete.protocolId() == SaProposal.PROTOCOL_IKE) {
                ikeDeleted = true;
            } else if (delete.protocolId() == SaProposal.PROTOCOL_ESP && delete.spiSize() == 4) {
                for (int peerInbound : delete.spisAsInts()) {
                    liveDeleted |= childDelete.peerDeleted(peerInbound, ourInbound);
                }
            }
        }
        if (ikeDeleted) {
            new IkeDeleteTask(s).peerDeleted(m, now);
            return;
        }
        List<Payload> response = new ArrayList<>();
        if (!ourInbound.isEmpty()) {
            response.add(DeletePayload.esp(ourInbound.stream().mapToInt(Integer::intValue).toArray()));
        }
        s.transport.sendProtectedResponse(m, response);
        if (liveDeleted && s.phase == Phase.ESTABLISHED) {
            // like strongSwan: closeaction=restart asks for a new CHILD_SA on this IKE SA, otherwise the tunnel is
            // down and the IKE SA stays
            s.keeper.lostChildOf(childDelete.lost(), "peer deleted the CHILD_SA", DownCause.PEER_DELETED,
                    childDelete.lost().closeAction() == CloseAction.RESTART, now);
        }
    }

    void onResponse(IkeMessage m, long now) {
        if (m.header().exchangeType() != ExchangeType.INFORMATIONAL || s.transport.unprotectOrDrop(m) == null) {
            if (m.header().exchangeType() != ExchangeType.INFORMATIONAL) {
                s.ctx.drops().drop();
            }
            return;
        }
        s.transport.answered();
        s.lastInbound = now;
        // the DELETE of CHILD_SAs we replaced or expired is answered: what is left of them can go now (1.4.1)
        s.children.deletesAnswered();
        if (s.phase == Phase.DELETING) {
            s.close();
        } else {
            new DpdTask(s).arm();
            s.afterExchange(now);
        }
    }
}
