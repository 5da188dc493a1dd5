package io.causeway.conf.connection;

/**
 * IKE fragmentation (fragmentation=): YES uses it when the peer supports it, FORCE also for the first
 * IKEv1 message, ACCEPT accepts fragments but sends none, NO disables it.
 */
public enum Fragmentation {
    YES, ACCEPT, FORCE, NO;

    /** The keyword as written in ipsec.conf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
