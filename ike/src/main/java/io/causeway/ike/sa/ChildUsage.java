package io.causeway.ike.sa;

/**
 * What the data plane has counted on the SAs of an installed CHILD_SA, for byte and packet lifetimes
 * (ipsec.conf lifebytes, lifepackets, marginbytes, marginpackets). The engine reads it only from
 * {@link IkeEngine#checkVolumes(long)}, on the control thread, for CHILD_SAs of connections that set such a
 * limit; an implementation must be cheap, non-blocking and safe to call while workers update the counters.
 */
@FunctionalInterface
public interface ChildUsage {

    /** Bytes and packets processed by one SA (one direction) since it was installed. */
    record Counters(long bytes, long packets) {
        public static final Counters NONE = new Counters(0, 0);
    }

    /**
     * The counters of one SA: the inbound SA when {@code inbound} (spi is {@link ChildSaInstall#inboundSpi()}),
     * the outbound SA otherwise (spi is {@link ChildSaInstall#outboundSpi()}); {@link Counters#NONE} when the SA
     * is unknown. Exceptions count as {@link Counters#NONE}.
     */
    Counters counters(int spi, boolean inbound);
}
