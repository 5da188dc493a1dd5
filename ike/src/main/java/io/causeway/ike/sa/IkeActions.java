package io.causeway.ike.sa;

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
     * The CHILD_SA installed with {@code outboundActive} false (see {@link ChildSaInstall}) and this inbound SPI now
     * sends: from here on the data plane seals its outbound traffic with it rather than with the SA it replaced. Comes
     * before the removal of that SA, so the traffic selectors never lack an SA to send on.
     */
    void activateOutbound(String connection, int inboundSpi);

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

    /**
     * {@link #stateChanged(String, TunnelState, String)} with why a negotiation failed; the engine calls this one for
     * PHASE1_FAILED and PHASE2_FAILED, so the cause comes with exactly the failures the user sees.
     */
    default void stateChanged(String connection, TunnelState state, String lastError, FailureCause cause) {
        stateChanged(connection, state, lastError);
    }

    /**
     * An IKE exchange completed, once each: weInitiated, the peer's answer to our request was accepted (retransmitted
     * answers and further fragments are not counted again); otherwise we answered a new request of the peer, stateless
     * IKE_SA_INIT answers (COOKIE, INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN) included, answers to retransmissions not.
     * exchangeType is the RFC 7296 3.1 number ({@code ExchangeType}). connection is the IKE SA's connection as far as
     * known then (a responder's first candidate before IKE_AUTH names the peer), null when no IKE SA exists (a COOKIE).
     */
    default void exchangeCompleted(String connection, int exchangeType, boolean weInitiated) {
    }

    /**
     * A new IKE SA connected through IKE_AUTH, with its first CHILD_SA: durationMillis from our first IKE_SA_INIT
     * request (initiator; cookie and INVALID_KE_PAYLOAD rounds included) or from the IKE_SA_INIT request we answered
     * (responder) to IKE_AUTH done. Once per IKE SA; a rekeyed IKE SA or a later CHILD_SA adds none.
     */
    default void handshakeCompleted(String connection, long durationMillis) {
    }
}
