package io.causeway.daemon.metrics;

import io.causeway.esp.SaCounters;
import io.causeway.ike.sa.FailureCause;

/**
 * What the gateway tells the metrics as it happens, on the control thread: the IKE engine's events as
 * {@code EngineActions} receives them, and the CHILD_SAs it installs. Everything the data path counts is read at
 * scrape time instead, so no packet pays for metrics.
 */
public interface TunnelEvents {
    TunnelEvents NONE = new TunnelEvents() {};

    /**
     * An IKE exchange completed, once each (the engine's {@code IkeActions.exchangeCompleted}): weInitiated, the
     * answer to our request came; otherwise we answered the peer's. tunnel may be null (a stateless COOKIE answer).
     */
    default void exchangeCompleted(String tunnel, int exchangeType, boolean weInitiated) {}

    /** A new IKE SA connected: from its first IKE_SA_INIT request to IKE_AUTH done. */
    default void handshakeCompleted(String tunnel, long durationMillis) {}

    /** The tunnel went PHASE1_FAILED or PHASE2_FAILED, as the status shows it, and why. */
    default void failed(String tunnel, FailureCause cause) {}

    /** A CHILD_SA pair entered the data plane; its counters are read at scrape time. */
    default void childInstalled(String tunnel, int inboundSpi, SaCounters in, SaCounters out) {}

    default void childRemoved(String tunnel, int inboundSpi) {}

    default void ikeSaRekeyed(String tunnel) {}
}
