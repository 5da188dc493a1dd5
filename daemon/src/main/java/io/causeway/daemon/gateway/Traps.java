package io.causeway.daemon.gateway;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.net.Subnet;
import io.causeway.daemon.dataplane.DataPlane;
import io.causeway.daemon.dataplane.Trap;
import io.causeway.ike.TunnelState;
import io.causeway.ike.sa.DownCause;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trap policies: strongSwan's auto=route, and where dpdaction=hold or closeaction=hold put a
 * connection whose peer went away. A trapped connection keeps its routes through the TUN and a
 * trap in the data plane. The first packet without an SA starts one negotiation; the packets kept
 * meanwhile go out through the new CHILD_SA. If the negotiation fails they are dropped, and the
 * trap re-arms only after the keying retry interval, so a peer that refuses is not asked again for
 * every packet. The trap stays while the tunnel is up and after it goes down. Control thread only.
 */
final class Traps {
    private static final Logger log = LoggerFactory.getLogger(Traps.class);

    private final DataPlane dataPlane;
    private final ControlLoop control;
    private final RouteTable routes;
    private final TunnelBook book;
    private final Duration retryHoldOff;
    /** The peer's address if known now, never waiting for DNS ({@link PeerResolver#known}). */
    private final Function<Connection, Optional<InetAddress>> peers;
    private final Map<String, Trap> installed = new HashMap<>();
    /** Connections whose last negotiation failed, until the hold-off ends: their traps trigger nothing. */
    private final Map<String, ScheduledFuture<?>> holdingOff = new HashMap<>();
    private Predicate<Connection> initiate = c -> false;

    Traps(DataPlane dataPlane, ControlLoop control, RouteTable routes, TunnelBook book, Duration retryHoldOff,
          Function<Connection, Optional<InetAddress>> peers) {
        this.peers = peers;
        this.dataPlane = dataPlane;
        this.control = control;
        this.routes = routes;
        this.book = book;
        this.retryHoldOff = retryHoldOff;
    }

    /** How a trap starts its connection (on the control thread); false if it could not. */
    void initiateWith(Predicate<Connection> initiate) {
        this.initiate = initiate;
    }

    /**
     * Routes the connection's remote subnets through the TUN (never clobbering a route the host has
     * elsewhere, and never the peer's own address, which IKE and ESP must reach outside the tunnel)
     * and traps its selectors.
     */
    void install(Connection c, Optional<InetAddress> peer) {
        if (installed.containsKey(c.name())) return;
        List<Subnet> routed = c.right().subnets().stream()
                .filter(s -> peer.isEmpty() || !s.contains(peer.get()))
                .toList();
        if (routed.size() < c.right().subnets().size()) {
            log.warn("{}: no trap route for the subnet holding the peer's own address {}", c.name(),
                    peer.get().getHostAddress());
        }
        book.routesTaken(c.name(), routes.add(c.name(), routed));
        String name = c.name();
        Trap trap = dataPlane.addTrap(name,
                SubnetSelectors.of(c.left().subnets()), SubnetSelectors.of(c.right().subnets()),
                () -> control.execute(() -> firstPacket(name)));
        installed.put(name, trap);
        log.info("{}: trap installed for {} === {}", name, c.left().subnetsText(), c.right().subnetsText());
    }

    /** Removes a trap and, unless a CHILD_SA still uses them, its routes. */
    void remove(String name) {
        Trap trap = installed.remove(name);
        if (trap == null) return;
        dataPlane.removeTrap(trap);
        endHoldOff(name);
        if (book.children(name).isEmpty()) routes.remove(name);
        log.info("{}: trap removed", name);
    }

    boolean trapped(String name) {
        return installed.containsKey(name);
    }

    /** A CHILD_SA is in the data plane: what the trap kept goes through it, and the trap re-arms. */
    void childInstalled(String name) {
        Trap trap = installed.get(name);
        if (trap == null) return;
        endHoldOff(name);
        int sent = dataPlane.sendHeld(trap);
        if (sent > 0) log.debug("{}: {} packet(s) kept by the trap sent through the new CHILD_SA", name, sent);
    }

    /** Follows the engine's reports: a failure drops the kept packets, DOWN re-arms (or, for hold, traps). */
    void stateChanged(Connection c, TunnelState state, DownCause cause) {
        Trap trap = installed.get(c.name());
        switch (state) {
            case PHASE1_FAILED, PHASE2_FAILED -> {
                if (trap != null) {
                    trap.dropHeld(false);
                    holdOff(c.name());
                }
            }
            case DOWN -> {
                if (trap != null) {
                    endHoldOff(c.name());
                    trap.dropHeld(true);
                } else if (holdWanted(c, cause)) {
                    log.info("{}: back to a trap ({}): the next packet initiates again", c.name(),
                            c.dpdAction() == DpdAction.HOLD ? "dpdaction=hold" : "closeaction=hold");
                    install(c, peers.apply(c));
                }
            }
            default -> { }
        }
    }

    /**
     * `causeway down`: an auto=route trap stays (as strongSwan's `down` leaves the trap; the next
     * packet brings the tunnel up again), a trap that hold installed goes with the tunnel.
     */
    void closedLocally(Connection c) {
        if (c.auto() != AutoAction.ROUTE) remove(c.name());
    }

    /** Whether the connection's hold applies to why it went DOWN: a dead peer (RFC 7296 2.4) or a DELETE from the peer. */
    static boolean holdWanted(Connection c, DownCause cause) {
        return switch (cause) {
            case DEAD_PEER -> c.dpdAction() == DpdAction.HOLD;
            case PEER_DELETED -> c.closeAction() == CloseAction.HOLD;
            case OTHER -> false;
        };
    }

    /** The trap fields of one tunnel in `status --json`. */
    void describe(String name, Map<String, Object> tunnel) {
        Trap trap = installed.get(name);
        tunnel.put("trap", trap != null);
        if (trap == null) return;
        tunnel.put("trap_held", trap.held());
        tunnel.put("trap_triggers", trap.triggers());
        Map<String, Object> drops = new LinkedHashMap<>();
        drops.put("trap_queue_full", trap.droppedQueueFull());
        drops.put("trap_negotiation_failed", trap.droppedNegotiationFailed());
        drops.put("trap_no_sa", trap.droppedNoSa());
        tunnel.put("drops", drops);
    }

    /** The first packet of a trap (or packets left waiting when a hold-off ended). */
    private void firstPacket(String name) {
        Trap trap = installed.get(name);
        if (trap == null) return;
        if (!book.children(name).isEmpty()) {
            dataPlane.sendHeld(trap); // it raced with the installation of the CHILD_SA
            return;
        }
        if (book.state(name) == TunnelState.CONNECTING) return; // its outcome sends or drops what is kept
        if (holdingOff.containsKey(name)) return; // the end of the hold-off looks at the kept packets
        log.info("{}: traffic hit the trap, initiating", name);
        if (!initiate.test(book.connection(name))) {
            trap.dropHeld(false);
            holdOff(name);
        }
    }

    private void holdOff(String name) {
        endHoldOff(name);
        holdingOff.put(name, control.schedule(retryHoldOff, () -> {
            holdingOff.remove(name);
            Trap trap = installed.get(name);
            if (trap != null && trap.rearm()) firstPacket(name);
        }));
    }

    private void endHoldOff(String name) {
        ScheduledFuture<?> pending = holdingOff.remove(name);
        if (pending != null) pending.cancel(false);
    }
}
