package io.causeway.ike.v2.sa;

import io.causeway.ike.TunnelState;

/**
 * Everything the IKE engine asks the outside world to do; the daemon implements it on its control
 * thread. The engine never blocks, so implementations must only queue or apply the action.
 */
public interface IkeActions {
    /** Send one IKE message (the daemon prefixes the non-ESP marker when either port is 4500). */
    void send(IkeDatagram datagram);

    /** Arm (or re-arm) a timer; when it is due the daemon calls {@code IkeEngine.timerFired(key, now)}. */
    void setTimer(TimerKey key, long atMillis);

    void cancelTimer(TimerKey key);

    void installChildSa(ChildSaInstall child);

    void removeChildSa(ChildSaRemoval child);

    /**
     * A tunnel changed state; {@code lastError} is null unless the state is a failure or DOWN for a reason the
     * user should see (dead peer, the peer deleted the SA); a local close reports DOWN with null. Never holds secrets.
     */
    void stateChanged(String connection, TunnelState state, String lastError);

    /** The connection's IKE SA was replaced by a rekey (RFC 7296 2.18); once per rekey, collisions included. */
    default void ikeSaRekeyed(String connection) {
    }

    /** {@link #stateChanged(String, TunnelState, String)} with why a tunnel went DOWN; the engine calls this one for DOWN. */
    default void stateChanged(String connection, TunnelState state, String lastError, DownCause cause) {
        stateChanged(connection, state, lastError);
    }
}
