package io.causeway.ike.sa;

import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.ike.TunnelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connections an IKE SA carries besides its own: others of its {@link io.causeway.conf.connection.IkeGroup}
 * with CHILD_SAs on it (RFC 7296 1.3.1; strongSwan's several conns, or children, under one peer config). Per
 * connection: the state last reported, whether it waits for its CHILD_SA, and whether it rides along with the next
 * attempt when this IKE SA ends. The session's own connection is not in here.
 */
final class SharedConnections {
    private final IkeSession s;
    /** By name, the state last reported for each. */
    private final Map<String, TunnelState> states = new LinkedHashMap<>();
    private final Map<String, Connection> configs = new LinkedHashMap<>();
    /** Waiting for their CHILD_SA, in the order they asked. */
    private final Map<String, Connection> wanted = new LinkedHashMap<>();
    /**
     * What the next attempt should carry once this one ends: those waiting for a CHILD_SA when the attempt failed,
     * or those that want a restart (dpdaction/closeaction=restart).
     */
    private final List<Connection> riders = new ArrayList<>();

    SharedConnections(IkeSession session) {
        this.s = session;
    }

    /** Whether connection name is CONNECTED here. */
    boolean connected(String name) {
        return states.get(name) == TunnelState.CONNECTED;
    }

    /** The CONNECTED ones, in the order they joined. */
    List<String> connectedNames() {
        List<String> names = new ArrayList<>();
        states.forEach((name, st) -> {
            if (st == TunnelState.CONNECTED) {
                names.add(name);
            }
        });
        return names;
    }

    /** Whether connection name has, had or waits for a CHILD_SA here. */
    boolean knows(String name) {
        return states.containsKey(name) || wanted.containsKey(name);
    }

    /** Whether a connection other than name has a CHILD_SA here or waits for one. */
    boolean anyOtherThan(String name) {
        for (String other : states.keySet()) {
            if (!other.equals(name) && (s.children.hasLive(other) || wanted.containsKey(other))) {
                return true;
            }
        }
        return false;
    }

    /** c wants a CHILD_SA here: it is CONNECTING and gets one once the IKE SA is established and the window free. */
    void want(Connection c, long now) {
        if (connected(c.name()) && s.children.hasLive(c.name())) {
            return;
        }
        wanted.put(c.name(), c);
        report(c, TunnelState.CONNECTING, null, DownCause.OTHER);
        s.afterExchange(now);
    }

    /** Asks again for c's CHILD_SA (after TEMPORARY_FAILURE), keeping its place if it still waits. */
    void wantAgain(Connection c) {
        wanted.putIfAbsent(c.name(), c);
    }

    boolean waiting() {
        return !wanted.isEmpty();
    }

    /** The first connection waiting for its CHILD_SA, no longer waiting. */
    Connection takeNextWanted() {
        Connection c = wanted.values().iterator().next();
        wanted.remove(c.name());
        return c;
    }

    /** Connection name no longer waits for a CHILD_SA here. */
    void stopWanting(String name) {
        wanted.remove(name);
    }

    /** Reports a state of c and remembers it; nothing when unchanged, or once a rekey replaced this IKE SA. */
    void report(Connection c, TunnelState state, String error, DownCause cause) {
        configs.put(c.name(), c);
        if (states.put(c.name(), state) != state && !s.superseded && (state != TunnelState.DOWN || !s.otherSpeaksFor(c.name()))) {
            s.ctx.actions().stateChanged(c.name(), state, error, cause);
        }
    }

    /** c did not get its CHILD_SA: PHASE2_FAILED, the IKE SA and the others stay. */
    void failed(Connection c, String error, FailureCause cause) {
        configs.put(c.name(), c);
        states.put(c.name(), TunnelState.PHASE2_FAILED);
        s.ctx.actions().stateChanged(c.name(), TunnelState.PHASE2_FAILED, error, cause);
    }

    /** Closes connection name here (its CHILD_SAs are deleted by the caller): DOWN. */
    void closed(String name) {
        wanted.remove(name);
        Connection c = configs.get(name);
        if (c != null) {
            report(c, TunnelState.DOWN, null, DownCause.OTHER);
        }
    }

    /** Every one not DOWN yet goes DOWN (the IKE SA is gone). */
    void allDown(String reason, DownCause cause) {
        if (s.superseded) {
            return;
        }
        states.replaceAll((name, st) -> {
            if (st != TunnelState.DOWN && !s.otherSpeaksFor(name)) {
                s.ctx.actions().stateChanged(name, TunnelState.DOWN, reason, cause);
            }
            return TunnelState.DOWN;
        });
    }

    /**
     * The IKE SA ended for this cause: those whose restart says so (dpdaction=restart after a dead peer,
     * closeaction=restart after the peer's DELETE) and those still waiting ride along with the next attempt.
     */
    void rideOnRestart(DownCause cause) {
        states.forEach((name, st) -> {
            Connection c = configs.get(name);
            boolean restart = cause == DownCause.DEAD_PEER ? c.dpdAction() == DpdAction.RESTART
                    : cause == DownCause.PEER_DELETED && c.closeAction() == CloseAction.RESTART;
            if (st == TunnelState.CONNECTED && restart) {
                riders.add(c);
            }
        });
        riders.addAll(wanted.values());
        wanted.clear();
    }

    /** The IKE SA failed before those waiting got their CHILD_SA: they share the failure and ride the next attempt. */
    void failWaiting(TunnelState failed, String error, FailureCause cause) {
        for (Connection c : wanted.values()) {
            riders.add(c);
            if (s.reportFailure) {
                states.put(c.name(), failed);
                s.ctx.actions().stateChanged(c.name(), failed, error, cause);
            }
        }
        wanted.clear();
    }

    /** The connections the next attempt should carry, once each. */
    List<Connection> takeRiders() {
        List<Connection> out = List.copyOf(riders);
        riders.clear();
        return out;
    }

    /** A newer IKE SA speaks for connection name: this one reports nothing more for it. */
    void handedOver(String name) {
        states.remove(name);
        wanted.remove(name);
    }

    /** An IKE SA rekey (2.18): the new IKE SA carries what the old one did. */
    void takeOver(SharedConnections old) {
        states.putAll(old.states);
        configs.putAll(old.configs);
        wanted.putAll(old.wanted);
        old.wanted.clear();
    }
}
