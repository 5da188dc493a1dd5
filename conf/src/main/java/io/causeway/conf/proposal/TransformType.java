package io.causeway.conf.proposal;

/** IKEv2 transform types (RFC 7296 section 3.3.2), so IKE and ESP code can encode proposals directly. */
public enum TransformType {
    ENCR(1), PRF(2), INTEG(3), DH(4), ESN(5);

    private final int ianaId;

    TransformType(int ianaId) {
        this.ianaId = ianaId;
    }

    public int ianaId() {
        return ianaId;
    }
}
