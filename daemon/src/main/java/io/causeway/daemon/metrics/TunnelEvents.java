package io.causeway.daemon.metrics;

import io.causeway.esp.SaCounters;
import io.causeway.ike.TunnelState;

/**
 * What the gateway tells the metrics as it happens, on the control thread. Everything the data
 * path counts is read at scrape time instead, so no packet pays for metrics.
 */
public interface TunnelEvents {
    TunnelEvents NONE = new TunnelEvents() {};

    /** An IKE message the engine sent or the gateway handed to it (without the non-ESP marker). */
    default void ikeMessage(byte[] message, boolean sent) {}

    default void stateChanged(String tunnel, TunnelState state, String lastError) {}

    /** A CHILD_SA pair entered the data plane; its counters are read at scrape time. */
    default void childInstalled(String tunnel, int inboundSpi, SaCounters in, SaCounters out) {}

    default void childRemoved(String tunnel, int inboundSpi) {}

    default void ikeSaRekeyed(String tunnel) {}
}
