package io.causeway.daemon.gateway;

import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.ike.sa.ChildSaInstall;

/** A negotiated CHILD_SA as the data plane carries it: the engine's description and the two SAs. */
record InstalledChild(ChildSaInstall negotiated, OutboundSa out, InboundSa in, long installedAtMillis) {}
