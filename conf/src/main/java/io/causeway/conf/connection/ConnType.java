package io.causeway.conf.connection;

/** The kind of CHILD_SA (type). */
public enum ConnType {
    TUNNEL, TRANSPORT, PASS, DROP;

    /** The keyword as written in ipsec.conf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
