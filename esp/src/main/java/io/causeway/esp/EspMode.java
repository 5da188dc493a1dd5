package io.causeway.esp;

/** What the ESP payload carries: a whole IP packet (tunnel) or an upper-layer payload (transport). */
public enum EspMode {
    TUNNEL,
    TRANSPORT
}
