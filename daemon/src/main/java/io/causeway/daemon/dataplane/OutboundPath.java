package io.causeway.daemon.dataplane;

import io.causeway.esp.OutboundSa;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the TUN readers need to send one inner packet: the SA, where it goes, and how much fits. {@code wireOrder}
 * is held by a worker from its first seal with the SA until the datagrams are sent, so the wire carries the SA's
 * sequence numbers in order: two workers each sending a batch of 45 sealed on the same SA would otherwise
 * interleave them, and a receiver with strongSwan's replay window of 32 drops what falls behind it.
 */
record OutboundPath(OutboundSa sa, Egress egress, int innerMtu, ReentrantLock wireOrder) {
    OutboundPath(OutboundSa sa, Egress egress, int innerMtu) {
        this(sa, egress, innerMtu, new ReentrantLock());
    }
}
