package io.causeway.daemon.dataplane;

import io.causeway.esp.OutboundSa;

/** What the TUN readers need to send one inner packet: the SA, where it goes, and how much fits. */
record OutboundPath(OutboundSa sa, Egress egress, int innerMtu) {}
