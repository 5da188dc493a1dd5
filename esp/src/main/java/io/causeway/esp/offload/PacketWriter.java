package io.causeway.esp.offload;

/**
 * Where coalesced and plain packets go: the TUN write. {@code buf[off, off+len)} starts with a
 * {@link VirtioNetHeader}; the bytes are only valid during the call.
 */
public interface PacketWriter {
    void write(byte[] buf, int off, int len);
}
