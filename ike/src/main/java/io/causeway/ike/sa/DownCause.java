package io.causeway.ike.sa;

/**
 * Why a tunnel went DOWN, for what the daemon does next: dpdaction=hold and closeaction=hold put
 * the connection back behind a trap only when the peer went away, not when we closed it.
 */
public enum DownCause {
    /** We closed it, or an SA ended for a reason of our own (lifetime, a failure). */
    OTHER,
    /** The peer did not answer our liveness check (RFC 7296 2.4). */
    DEAD_PEER,
    /** The peer deleted the IKE SA or its last CHILD_SA (RFC 7296 1.4.1). */
    PEER_DELETED
}
