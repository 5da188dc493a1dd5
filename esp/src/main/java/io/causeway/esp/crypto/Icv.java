package io.causeway.esp.crypto;

/** An integrity check value over a byte range, with the ESN high bits appended (RFC 4303 2.2.1). */
interface Icv {
    /** Truncated length carried in packets. */
    int icvBytes();

    /** Writes the truncated ICV of {@code buf[off, off+len)} (|| seqHi when esn) to {@code out[outOff..]}. */
    void compute(byte[] buf, int off, int len, boolean esn, int seqHi, byte[] out, int outOff);
}
