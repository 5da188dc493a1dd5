package io.causeway.daemon.dataplane;

/** Sends a sealed ESP packet to the peer: inside UDP (RFC 3948) or as raw IP protocol 50. */
interface Egress {
    /** Returns false when the kernel refused the packet (full buffer, no route); it is dropped. */
    boolean send(byte[] buf, int off, int len);
}
