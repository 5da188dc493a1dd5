package io.causeway.conf.connection;

/** What happens to the connection when the daemon loads it (auto). */
public enum AutoAction {
    IGNORE, ADD, ROUTE, START;

    /** The keyword as written in ipsec.conf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
