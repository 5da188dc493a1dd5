package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.List;
import java.util.Optional;

/**
 * INFORMATIONAL DELETE of CHILD_SAs in both roles (RFC 7296 1.4.1, 2.25.1). Ours names our inbound SPIs and goes
 * out when the window is free, for SAs we replaced, expired or gave up ({@link ChildSaBook} queues them); the
 * answer completes them. The peer's names its inbound SPIs, our outbound ones: those SAs go at once and we answer
 * with our inbound SPIs, unless we are deleting them too. A DELETE of a CHILD_SA being rekeyed is answered as usual
 * and the rekey brings nothing back.
 */
final class ChildDeleteTask {
    private final IkeSession s;
    /** The connection of the last LIVE CHILD_SA of this IKE SA the peer deleted; null if none. */
    private Connection lost;

    ChildDeleteTask(IkeSession session) {
        this.s = session;
    }

    /** Deletes our current CHILD_SA, keeping the IKE SA. */
    void deleteCurrent(long now) {
        Optional<ChildSaBook.Entry> current = s.children.current();
        if (s.phase != Phase.ESTABLISHED || current.isEmpty() || s.transport.outstanding()) {
            return;
        }
        s.children.deleting(current.get(), false);
        s.keeper.armTimers();
        s.afterExchange(now);
        if (!s.children.hasLive()) {
            s.ctx.actions().cancelTimer(s.dpdKey());
            s.down(null, DownCause.OTHER);
        }
    }

    /** Deletes every LIVE CHILD_SA of connection name, keeping the IKE SA and the other connections' CHILD_SAs. */
    void deleteAllOf(String name, long now) {
        for (ChildSaBook.Entry e : s.children.live()) {
            if (e.sa.connection().equals(name)) {
                s.children.deleting(e, false);
            }
        }
        s.keeper.armTimers();
        new DpdTask(s).stopIfIdle();
        s.afterExchange(now);
    }

    /** The window is free: one INFORMATIONAL with the DELETE of every queued CHILD_SA. */
    void sendQueued(long now) {
        s.transport.sendInformational(List.of(DeletePayload.esp(s.children.takeQueuedDeletes())), now);
    }

    /**
     * The peer deletes the CHILD_SA it receives on with this SPI (our outbound SPI, 1.4.1): it goes at once and our
     * inbound SPI goes into the answer, unless we are deleting it too (then no Delete payload back, 1.4.1). Returns
     * whether it was a LIVE one of this IKE SA.
     */
    boolean peerDeleted(int peerInbound, List<Integer> ourInbound) {
        IkeSession owner = s;
        ChildSaBook.Entry e = s.children.byOutboundSpi(peerInbound);
        if (e == null && s.replacedBy != null) {
            // a CHILD_SA replaced by a rekey moved with an IKE SA rekey (2.18); its DELETE still comes here
            ChildSaBook.Entry moved = s.replacedBy.children.byOutboundSpi(peerInbound);
            if (moved != null && !moved.live()) {
                owner = s.replacedBy;
                e = moved;
            }
        }
        if (e == null) {
            return false;
        }
        PendingExchange p = owner.pending();
        if (p != null && p.old == e) {
            p.oldDeleted = true; // 2.25.1: our rekey of it must not bring it back
        }
        if (p != null && p.peerChild == e) {
            p.peerChildDeleted = true; // 2.8.1: the peer gave way in our collision before our answer came
        }
        boolean wasLive = e.live();
        if (e.stage() != ChildSaBook.Stage.DELETING) {
            ourInbound.add(e.sa.inboundSpi());
        }
        owner.children.forget(e);
        if (owner == s) {
            s.keeper.armTimers();
        }
        if (wasLive && owner == s) {
            lost = s.keeper.connectionOf(e);
            return true;
        }
        return false;
    }

    /** The connection of the last LIVE CHILD_SA the peer deleted here, once {@link #peerDeleted} said so. */
    Connection lost() {
        return lost;
    }
}
