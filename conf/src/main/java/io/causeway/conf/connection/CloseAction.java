package io.causeway.conf.connection;

/** What to do when the peer closes the CHILD_SA (closeaction). */
public enum CloseAction {
    NONE, CLEAR, HOLD, RESTART;

    /** The keyword as written in ipsec.conf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
