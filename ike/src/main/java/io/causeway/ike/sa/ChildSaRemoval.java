package io.causeway.ike.sa;

/** A CHILD_SA the data plane must forget, by its two SPIs. */
public record ChildSaRemoval(String connection, int inboundSpi, int outboundSpi) {
    @Override
    public String toString() {
        return String.format("ChildSaRemoval[%s, in %08x, out %08x]", connection, inboundSpi, outboundSpi);
    }
}
