package io.causeway.ike.sa;

import io.causeway.conf.net.Identity;
import java.util.Collection;

/**
 * INITIAL_CONTACT (RFC 7296 2.4, 3.10.1): the sender asserts that the new IKE SA is the only one between the two
 * authenticated identities, typically because it restarted and lost the others. We honour it in both roles, by
 * forgetting the others without DELETEs; as initiator we send it only when we hold no other SA with the peer.
 */
final class InitialContact {
    private InitialContact() {
    }

    /**
     * Whether an initiator should leave INITIAL_CONTACT out of IKE_AUTH: another live SA goes to the same peer
     * address, or one is authenticated between the same identities (when rightid names the peer). Sending it
     * anyway would make the peer drop SAs we still use.
     */
    static boolean otherSaWithPeer(IkeSession self, Collection<IkeSession> sessions) {
        Identity peer = self.connection().right().id();
        for (IkeSession o : sessions) {
            if (o == self || o.closed()) {
                continue;
            }
            if (o.remoteAddress().getAddress().equals(self.remoteAddress().getAddress())
                    || (!peer.isAny() && o.authenticatedPeer() != null && o.authenticatedPeer().sameAs(peer)
                            && o.localIdentity().sameAs(self.localIdentity()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The peer sent INITIAL_CONTACT on {@code fresh}: every other SA between the same authenticated identities is
     * forgotten with its CHILD_SAs, without a DELETE the restarted peer would not understand. Runs after the fresh
     * SA reported its state, and the forgotten ones report nothing for its connection, so that state stands.
     */
    static void honour(IkeSession fresh, Collection<IkeSession> sessions) {
        for (IkeSession o : sessions) {
            if (o != fresh && !o.closed() && between(o, fresh.localIdentity(), fresh.authenticatedPeer())) {
                o.forgetForInitialContact(fresh.connection().name());
            }
        }
    }

    /** Whether IKE SA o is authenticated between our identity ours and the peer's identity peer. */
    static boolean between(IkeSession o, Identity ours, Identity peer) {
        return o.authenticatedPeer() != null && o.authenticatedPeer().sameAs(peer) && o.localIdentity().sameAs(ours);
    }
}
