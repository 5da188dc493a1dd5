package io.causeway.esp;

/** Result slot of {@link InboundSa#open}: owned and reused by one worker, never allocated per packet. */
public final class Opened {
    public int innerOffset;
    public int innerLength;
    public int nextHeader;
    /** Full 64-bit sequence number of the opened packet (ESN high bits inferred). */
    public long sequence;

    void clear() {
        innerOffset = 0;
        innerLength = 0;
        nextHeader = 0;
        sequence = 0;
    }
}
