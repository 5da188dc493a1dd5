package io.causeway.conf.net;

/** IKE identification types (RFC 7296 section 3.5) that PSK authentication can use, plus ANY for %any. */
public enum IdType {
    IPV4_ADDR(1), FQDN(2), RFC822_ADDR(3), IPV6_ADDR(5), KEY_ID(11), ANY(0);

    private final int ianaId;

    IdType(int ianaId) {
        this.ianaId = ianaId;
    }

    /** The ID Type value on the wire; 0 for ANY, which is never sent. */
    public int ianaId() {
        return ianaId;
    }
}
