package io.causeway.ike.sa;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.EspMode;
import io.causeway.esp.LimitKind;
import io.causeway.esp.EspSuite;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.ChildKeyDerivation;
import io.causeway.ike.crypto.ChildSaKeys;
import io.causeway.ike.proposal.EspSuites;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.List;

/**
 * The CHILD_SAs of one IKE SA between exchanges: deriving and installing a negotiated one (RFC 7296 2.17) with its
 * lifetimes, the CHILD_REKEY and CHILD_EXPIRE timers, hard expiry by time, bytes or packets, and what happens when
 * the last one is gone (a new one by CREATE_CHILD_SA, 1.3.1, or the tunnel DOWN). Lifetimes, rekey and auto are
 * read from the connection each CHILD_SA serves.
 */
final class ChildSaKeeper {
    private final IkeSession s;

    ChildSaKeeper(IkeSession session) {
        this.s = session;
    }

    /**
     * KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (2.17) for a negotiated CHILD_SA of connection c. exchangeInitiator:
     * whether we initiated the exchange that created it; its initiator-to-responder keys come first.
     */
    ChildSaInstall derive(Connection c, Proposal esp, int inboundSpi, int outboundSpi, List<AddressRangeSelector> localTs,
                          List<AddressRangeSelector> remoteTs, byte[] sharedSecret, byte[] ni, byte[] nr,
                          boolean exchangeInitiator, EspMode mode) {
        EspSuite espSuite = EspSuites.of(esp);
        ChildSaKeys childKeys = ChildKeyDerivation.derive(s.suite.prf(), s.keys.skD(), sharedSecret, ni, nr, espSuite);
        if (sharedSecret != null) {
            java.util.Arrays.fill(sharedSecret, (byte) 0);
        }
        return new ChildSaInstall(c.name(), inboundSpi, outboundSpi, espSuite, childKeys.inbound(exchangeInitiator),
                childKeys.outbound(exchangeInitiator), EspSuites.esn(esp), TrafficSelectorNarrowing.toSubnets(localTs),
                TrafficSelectorNarrowing.toSubnets(remoteTs), mode, s.nat || c.forceEncaps(), s.local, s.remote,
                s.authenticatedPeer);
    }

    /**
     * Installs a CHILD_SA as the current one, with its own lifetime. A replaced one stays installed until its
     * DELETE (make before break), so the tunnel never lacks an SA during a rekey.
     */
    ChildSaBook.Entry install(ChildSaInstall sa, Connection c, long now) {
        return armed(s.children.install(sa, c, now, s::fuzz));
    }

    /**
     * Installs the CHILD_SA a peer's rekey of {@code replaced} created, with its own lifetime: it receives at once
     * and sends once the old SA is gone ({@link ChildSaBook#installReceivingFirst}).
     */
    ChildSaBook.Entry installReceivingFirst(ChildSaInstall sa, Connection c, ChildSaBook.Entry replaced, long now) {
        return armed(s.children.installReceivingFirst(sa, c, replaced, now, s::fuzz));
    }

    private ChildSaBook.Entry armed(ChildSaBook.Entry e) {
        armTimers();
        return e;
    }

    /** A CHILD_SA of c was installed: c is CONNECTED, whatever it was before. */
    void childUp(Connection c) {
        if (!s.isShared(c)) {
            childUp();
            return;
        }
        s.reportFor(c, TunnelState.CONNECTED, null, DownCause.OTHER);
        new DpdTask(s).arm();
    }

    /** A CHILD_SA of the IKE SA's own connection was installed: the tunnel is CONNECTED, whatever it was before. */
    void childUp() {
        s.childWanted = false;
        s.ctx.actions().cancelTimer(s.timer(TimerKey.Kind.CHILD_CREATE));
        if (s.state != TunnelState.CONNECTED) {
            s.report(TunnelState.CONNECTED, null);
        }
        new DpdTask(s).arm();
    }

    /**
     * This IKE SA has no CHILD_SA left. With recreate a new one is negotiated on it (1.3.1) and the tunnel is
     * CONNECTING meanwhile; otherwise the tunnel is DOWN and the IKE SA stays. While our CREATE_CHILD_SA is out
     * the decision waits for its answer, which may bring a CHILD_SA.
     */
    void gone(String reason, DownCause cause, boolean recreate, long now) {
        new DpdTask(s).stopIfIdle();
        PendingExchange pending = s.pending();
        if (pending != null && !pending.ike()) {
            pending.childLoss = reason;
            pending.childLossCause = cause;
            pending.recreateAfterLoss = recreate;
            return;
        }
        if (!recreate) {
            s.down(reason, cause);
            return;
        }
        s.childWanted = true;
        if (s.state != TunnelState.CONNECTING) {
            s.state = TunnelState.CONNECTING;
            s.ctx.actions().stateChanged(s.connection.name(), TunnelState.CONNECTING, null);
        }
        s.afterExchange(now);
    }

    /**
     * A LIVE CHILD_SA of c went away: if it was c's last, c has no tunnel any more. For this IKE SA's own connection
     * that is {@link #gone}; a connection sharing the IKE SA gets a new CHILD_SA by CREATE_CHILD_SA with recreate
     * (auto=start/route after a hard expiry, closeaction=restart after the peer's DELETE), else it is DOWN.
     */
    void lostChildOf(Connection c, String reason, DownCause cause, boolean recreate, long now) {
        if (s.children.hasLive(c.name())) {
            return;
        }
        if (s.isShared(c) && recreate) {
            s.sharing.want(c, now); // CONNECTING until CREATE_CHILD_SA brings it back, as for the own connection
        } else if (s.isShared(c)) {
            s.reportFor(c, TunnelState.DOWN, reason, cause);
            new DpdTask(s).stopIfIdle();
        } else {
            gone(reason, cause, recreate, now);
        }
    }

    /** The last CHILD_SA went away while our CREATE_CHILD_SA was out; now that it is answered, act on that loss. */
    void settleLoss(PendingExchange p, long now) {
        if (p.childLoss != null && !s.children.hasLive(s.connection.name()) && s.phase == Phase.ESTABLISHED) {
            gone(p.childLoss, p.childLossCause, p.recreateAfterLoss || s.childWanted, now);
        }
    }

    /** The connection a CHILD_SA serves; an entry that records none (only tracked for its DELETE) is the IKE SA's. */
    Connection connectionOf(ChildSaBook.Entry e) {
        return e.connection != null ? e.connection : s.connection;
    }

    /**
     * Arms the rekey timer at the earliest due rekey among CHILD_SAs whose connection has rekey=yes, and the expiry
     * timer at the earliest hard lifetime.
     */
    void armTimers() {
        long rekeyAt = s.children.live().stream().filter(e -> connectionOf(e).rekey()).mapToLong(e -> e.rekeyAt).min()
                .orElse(ChildSaBook.NEVER);
        armOrCancel(TimerKey.Kind.CHILD_REKEY, rekeyAt);
        armOrCancel(TimerKey.Kind.CHILD_EXPIRE, s.children.nextExpireAt());
    }

    private void armOrCancel(TimerKey.Kind kind, long at) {
        TimerKey key = s.timer(kind);
        if (at == ChildSaBook.NEVER) {
            s.ctx.actions().cancelTimer(key);
        } else {
            s.ctx.actions().setTimer(key, at);
        }
    }

    /** The CHILD_EXPIRE timer: CHILD_SAs at their hard lifetime go. */
    void expireDue(long now) {
        if (s.phase != Phase.ESTABLISHED) {
            return;
        }
        Connection lost = null; // the connection of the last LIVE CHILD_SA that expired
        for (ChildSaBook.Entry e : s.children.all()) {
            if (e.stage() != ChildSaBook.Stage.DELETING && e.expireAt <= now && expire(e)) {
                lost = connectionOf(e);
            }
        }
        armTimers();
        if (lost != null) {
            lostChildOf(lost, "CHILD_SA expired without being rekeyed", DownCause.OTHER, wantsTunnel(lost), now);
        }
        s.afterExchange(now);
    }

    /**
     * Hard lifetime (time, bytes or packets): the SA leaves the data plane at once and we delete it (1.4.1); a
     * replaced one the peer failed to delete just goes, as strongSwan lets it expire. Returns whether it was LIVE.
     */
    private boolean expire(ChildSaBook.Entry e) {
        if (e.stage() == ChildSaBook.Stage.REPLACED) {
            s.children.forget(e);
            return false;
        }
        s.children.deleting(e, false);
        return true;
    }

    /**
     * The data plane reported that one of e's SAs crossed a byte or packet limit (lifebytes, lifepackets) or used up
     * its sequence numbers: a rekey (rekey=yes), or expiry like at the hard time lifetime. Outside ESTABLISHED both
     * are only marked due on the entry, whose times travel with it (to the IKE SA that replaces this one, 2.18).
     */
    void volumeLimitReached(ChildSaBook.Entry e, LimitKind kind, long now) {
        switch (e.volumeStep(kind, connectionOf(e).rekey())) {
            case REKEY -> {
                e.rekeyAt = Math.min(e.rekeyAt, now);
                armTimers();
                ChildRekeyTask.startDue(s, now);
            }
            case EXPIRE -> {
                if (s.phase != Phase.ESTABLISHED) {
                    e.expireAt = Math.min(e.expireAt, now); // the data plane already stopped it; CHILD_EXPIRE deletes
                    armTimers();
                } else if (expire(e)) {
                    Connection lost = connectionOf(e);
                    armTimers();
                    lostChildOf(lost, "CHILD_SA reached its byte or packet lifetime without being rekeyed",
                            DownCause.OTHER, wantsTunnel(lost), now);
                    s.afterExchange(now);
                }
            }
            case NONE -> {
            }
        }
    }

    /** Whether the connection should always have a tunnel: auto=start or auto=route. */
    private static boolean wantsTunnel(Connection c) {
        return c.auto() == AutoAction.START || c.auto() == AutoAction.ROUTE;
    }

    /** Our side of a CHILD_SA of connection c: leftsubnet, or our IKE address without one. */
    List<Subnet> localSubnets(Connection c) {
        return c.left().subnets().isEmpty() ? List.of(Subnet.host(s.local.getAddress())) : c.left().subnets();
    }

    /** The peer's side of a CHILD_SA of connection c: rightsubnet, or the peer's IKE address without one. */
    List<Subnet> remoteSubnets(Connection c) {
        return c.right().subnets().isEmpty() ? List.of(Subnet.host(s.remote.getAddress())) : c.right().subnets();
    }
}
