package io.causeway.esp.crypto;

/** Produces the explicit IV of an outbound packet from its sequence number, without allocating. */
public interface IvGenerator {
    void write(long sequence, byte[] buf, int off);
}
