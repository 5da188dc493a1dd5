package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.esp.EspMode;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.Comparator;

/**
 * The rekey of a CHILD_SA, as initiator (RFC 7296 1.3.3, 2.8): CREATE_CHILD_SA with N(REKEY_SA) naming the old
 * SA, its selectors and mode, started by its soft lifetime (time, bytes or packets). Without a collision the new
 * SA is installed before the old one goes with our DELETE (make before break). In a collision (2.8.1) the exchange
 * holding the lowest nonce made the redundant SA, which its initiator deletes. A CHILD_SA_NOT_FOUND (2.25.1) drops
 * the old SA without a DELETE; a TEMPORARY_FAILURE (2.25) retries 10 to 20 s later. The peer's rekeys are answered
 * by {@link CreateChildSaResponder}.
 */
final class ChildRekeyTask extends ChildSaTask {
    private ChildRekeyTask(IkeSession session, PendingExchange exchange, Connection connection) {
        super(session, exchange, connection);
    }

    /**
     * The CHILD_REKEY timer or a soft volume limit: rekey the live CHILD_SA whose rekey is due first, among those
     * whose connection has rekey=yes.
     */
    static void startDue(IkeSession s, long now) {
        if (s.phase != Phase.ESTABLISHED) {
            return;
        }
        ChildSaBook.Entry due = s.children.live().stream().filter(e -> s.keeper.connectionOf(e).rekey())
                .min(Comparator.comparingLong(e -> e.rekeyAt)).orElse(null);
        if (due == null) {
            return;
        }
        if (s.transport.outstanding() || s.pending() != null) {
            // window of 1 (2.3): try again once the outstanding exchange is over
            s.ctx.actions().setTimer(s.timer(TimerKey.Kind.CHILD_REKEY), now + 1000);
            return;
        }
        Connection c = s.keeper.connectionOf(due);
        PendingExchange exchange = PendingExchange.childRekey(due, SaWire.newEspSpi(s.ctx.random()),
                s.ctx.random().nextBytes(IkeSession.NONCE_BYTES), pfsGroup(c),
                due.sa.mode() == EspMode.TRANSPORT); // the rekey asks for the mode of the SA it replaces
        due.rekeyAt = ChildSaBook.NEVER; // until this rekey is answered
        s.keeper.armTimers();
        new ChildRekeyTask(s, exchange, c).sendRequest(now);
    }

    /**
     * Our rekey completed. Without a collision the new SA replaces the old one, which we delete (2.8). If the peer
     * rekeyed the same SA meanwhile (2.8.1) and our exchange made the redundant SA, we never use it and delete it,
     * and the peer deletes the old one; otherwise ours becomes current, we delete the old one and the peer its SA.
     */
    @Override
    void created(ChildSaInstall created, byte[] nr, long now) {
        PendingExchange p = exchange;
        if (p.collided() && !p.peerChildDeleted && p.losesCollision(nr)) {
            s.children.trackForDelete(created);
            return;
        }
        s.keeper.install(created, connection, now);
        if (p.collided() && s.children.contains(p.peerChild)) {
            s.children.replaced(p.peerChild);
        }
        ChildSaBook.Entry old = p.old;
        if (s.children.contains(old) && old.stage() != ChildSaBook.Stage.DELETING) {
            // the initiator of the surviving rekey deletes the SA it replaced; its inbound side goes with the answer
            s.children.deleting(old, true);
        } // else the peer deleted it meanwhile (and evidently answered us anyway, as strongSwan keeps the new SA
          // then), or it expired on our side
        s.keeper.armTimers();
        s.keeper.childUp();
    }

    /**
     * A rekey whose SA the peer rekeyed, deleted or does not know is simply over; otherwise the SA stays until its
     * hard lifetime, or until the retry of a TEMPORARY_FAILURE.
     */
    @Override
    boolean failed(int notify, boolean temporary, long retryAt, String error, long now) {
        ChildSaBook.Entry old = exchange.old;
        boolean stillOurs = s.children.contains(old) && old.live();
        if (notify == NotifyType.CHILD_SA_NOT_FOUND && s.children.contains(old)
                && old.stage() != ChildSaBook.Stage.DELETING) {
            // 2.25.1: the peer has no such CHILD_SA (any more); like strongSwan, drop it without a DELETE
            s.children.forget(old);
            if (stillOurs) {
                s.keeper.lostChildOf(s.keeper.connectionOf(old), "peer does not know the CHILD_SA we tried to rekey",
                        DownCause.OTHER, true, now);
            }
        } else if (stillOurs && !exchange.collided()) {
            s.lastError = error;
            old.rekeyAt = temporary ? retryAt : ChildSaBook.NEVER;
        } // else the peer rekeyed it first (2.8.1) or it is being deleted (2.25.1): nothing left to do
        s.keeper.armTimers();
        return true;
    }
}
