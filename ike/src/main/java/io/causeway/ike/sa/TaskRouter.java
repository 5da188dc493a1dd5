package io.causeway.ike.sa;

import io.causeway.conf.net.IpLiteral;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.sa.IkeSession.Phase;

/**
 * Which task of an IKE SA handles a message or timer (RFC 7296 2.1-2.3). A response that matches our outstanding
 * request goes to the session's active task (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA) or, for INFORMATIONAL, to
 * {@link InformationalExchange}; a new request of the peer creates the responder task for its exchange type and
 * phase; each timer kind belongs to one task. When our window of one request comes free, {@link #afterExchange}
 * starts what waited: queued CHILD_SA DELETEs first, then a wanted new CHILD_SA.
 */
final class TaskRouter {
    private final IkeSession s;

    TaskRouter(IkeSession session) {
        this.s = session;
    }

    /** A decoded message for this SA; d gives the addresses it came in on. */
    void receive(IkeMessage m, IkeDatagram d, long now) {
        if (s.phase == Phase.CLOSED) {
            s.ctx.drops().drop();
            return;
        }
        try {
            if (m.skf().isPresent() && (m = s.transport.reassemble(m, d, now)) == null) {
                return;
            }
            if (m.header().response()) {
                if (!s.transport.awaits(m)) {
                    s.ctx.drops().drop();
                } else if (s.initiator && (s.phase == Phase.INIT_SENT || s.phase == Phase.AUTH_SENT)) {
                    s.active.onResponse(m, now);
                } else if (s.pending() != null && m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA) {
                    s.active.onResponse(m, now);
                } else if (usable()) {
                    new InformationalExchange(s).onResponse(m, now);
                } else {
                    s.ctx.drops().drop();
                }
            } else if (!s.initiator || usable()) {
                onRequest(m, d, now);
            } else {
                s.ctx.drops().drop(); // a request from the responder before our IKE_AUTH completed
            }
        } catch (RuntimeException e) {
            // a bug or a value the codecs let through must not take the control thread down
            s.ctx.drops().drop();
            if (!usable() && s.phase != Phase.CLOSED) {
                boolean phase1 = s.phase == Phase.NEW || s.phase == Phase.INIT_SENT || s.phase == Phase.INIT_ANSWERED
                        || s.phase == Phase.AUTH_SENT;
                s.fail(phase1 ? TunnelState.PHASE1_FAILED : TunnelState.PHASE2_FAILED, "internal error handling "
                        + ExchangeType.name(m.header().exchangeType()) + ": " + e.getClass().getSimpleName());
            }
        }
    }

    /** A request of the peer: a retransmission gets the cached answer (2.1), a new one the task for its exchange. */
    private void onRequest(IkeMessage m, IkeDatagram d, long now) {
        if (s.transport.answeredAgain(m, d) || !s.transport.expected(m)) {
            return;
        }
        int exchange = m.header().exchangeType();
        long id = m.header().messageId();
        boolean usable = usable();
        if (!s.initiator && s.phase == Phase.NEW && exchange == ExchangeType.IKE_SA_INIT && id == 0) {
            new IkeInitTask(s).onRequest(m, d, now);
        } else if (!s.initiator && s.phase == Phase.INIT_ANSWERED && exchange == ExchangeType.IKE_AUTH && id == 1) {
            new IkeAuthTask(s, null).onRequest(m, d, now);
        } else if (usable && exchange == ExchangeType.INFORMATIONAL) {
            new InformationalExchange(s).onRequest(m, now);
        } else if (usable && exchange == ExchangeType.CREATE_CHILD_SA) {
            new CreateChildSaResponder(s).onRequest(m, now);
        } else {
            s.ctx.drops().drop();
        }
    }

    /** Each timer goes to the task or concern it belongs to; RETRANSMIT to the transport (2.1, 2.4). */
    void timerFired(TimerKey key, long now) {
        if (s.phase == Phase.CLOSED) {
            return;
        }
        switch (key.kind()) {
            case HALF_OPEN -> {
                if (s.halfOpen()) {
                    s.close(); // 2.6: no peer we know of yet, so its connection's state stays as it is
                }
            }
            case DPD -> new DpdTask(s).onTimer(now);
            case CHILD_REKEY -> ChildRekeyTask.startDue(s, now);
            case CHILD_EXPIRE -> s.keeper.expireDue(now);
            case CHILD_CREATE -> ChildCreateTask.startWanted(s, now);
            case IKE_REKEY -> IkeRekeyTask.startDue(s, now);
            case REKEYED_LINGER -> {
                if (s.phase == Phase.REKEYED) {
                    s.close(); // the peer never deleted the IKE SA it replaced: forget it quietly
                }
            }
            case RETRANSMIT -> s.transport.retransmitTimer(now);
            default -> {
            }
        }
    }

    /** The IKE SA has keys and carries INFORMATIONAL and CREATE_CHILD_SA exchanges (also while it ends). */
    private boolean usable() {
        return s.phase == Phase.ESTABLISHED || s.phase == Phase.DELETING || s.phase == Phase.REKEYED;
    }

    /** Our request went unanswered through the whole retransmission schedule (2.1, 2.4). */
    void unanswered(int tries) {
        if (s.phase == Phase.ESTABLISHED) {
            new DpdTask(s).deadPeer();
        } else if (s.phase == Phase.DELETING || s.phase == Phase.REKEYED) {
            s.close(); // our DELETE went unanswered: the SA is gone on our side anyway (2.4)
        } else {
            s.fail(TunnelState.PHASE1_FAILED, "no answer from " + IpLiteral.format(s.remote.getAddress()) + " after "
                    + tries + " retransmissions", FailureCause.TIMEOUT);
        }
    }

    /**
     * Our request window (2.3) is free: send the DELETEs waiting for it, else create the CHILD_SA we want. The
     * answer to either brings us back here.
     */
    void afterExchange(long now) {
        if (s.phase != Phase.ESTABLISHED || s.transport.outstanding() || s.pending() != null) {
            return;
        }
        if (s.children.hasQueuedDeletes()) {
            new ChildDeleteTask(s).sendQueued(now);
        } else {
            ChildCreateTask.startWanted(s, now); // the own connection's wanted CHILD_SA, else a waiting one's
        }
    }
}
