package io.causeway.conf.connection;

/** What to do when dead peer detection finds the peer gone (dpdaction). */
public enum DpdAction {
    NONE, CLEAR, HOLD, RESTART;

    /** The keyword as written in ipsec.conf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
