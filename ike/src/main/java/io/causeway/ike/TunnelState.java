package io.causeway.ike;

/** A tunnel's state as users of the cloud VPN consoles know it (DESIGN.md, status --json). */
public enum TunnelState {
    /** IKE or the first CHILD_SA is being negotiated. */
    CONNECTING,
    /** The IKE SA and at least one CHILD_SA are up. */
    CONNECTED,
    /** The IKE SA could not be established after all keying tries (proposal, auth, no answer). */
    PHASE1_FAILED,
    /** The IKE SA is up but no CHILD_SA could be established. */
    PHASE2_FAILED,
    /** Not established and not trying (auto=add waiting for the peer, or torn down). */
    DOWN
}
