package io.causeway.conf.connection;

/** How a side authenticates; only pre-shared keys are implemented. */
public enum AuthMethod {
    PSK;

    /** The keyword as written in ipsec.conf. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
