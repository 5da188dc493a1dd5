package io.causeway.esp.crypto;

import io.causeway.esp.packet.Bytes;

/**
 * GCM IV = the 64-bit sequence number (RFC 4106 3.1 allows any IV that never repeats under a key; the
 * sequence number never repeats within an SA, and an SA never outlives its key).
 */
public final class SequenceIv implements IvGenerator {
    public static final SequenceIv INSTANCE = new SequenceIv();

    private SequenceIv() {
    }

    @Override
    public void write(long sequence, byte[] buf, int off) {
        Bytes.writeLong(buf, off, sequence);
    }
}
