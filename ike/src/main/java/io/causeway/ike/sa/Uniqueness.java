package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.IkeGroup;
import io.causeway.conf.net.Identity;
import java.util.Collection;
import java.util.List;

/**
 * uniqueids ({@link UniqueIds}) applied when IKE_AUTH completes: which established IKE SA a new one duplicates, and
 * what happens to it. A duplicate has the same two authenticated identities, is of the same IKE group and carries the
 * new SA's connection; so a peer that restarted without INITIAL_CONTACT loses its stale SA (YES, REPLACE), while
 * connections that share ids and proposals but not subnets each keep their own IKE SA.
 */
final class Uniqueness {
    private Uniqueness() {
    }

    /** The established IKE SAs that one of connection c between ours and peer would duplicate. */
    static List<IkeSession> duplicates(IkeSession fresh, Connection c, Identity ours, Identity peer,
                                       Collection<IkeSession> sessions) {
        return sessions.stream().filter(o -> o != fresh && !o.closed() && !o.rekeyed()
                && o.phase == IkeSession.Phase.ESTABLISHED && InitialContact.between(o, ours, peer)
                && IkeGroup.shared(o.connection(), c) && o.carries(c.name())).toList();
    }

    /** YES and REPLACE: the new SA {@code fresh} is established; its duplicates are deleted (RFC 7296 1.4.1). */
    static void replaceDuplicates(IkeSession fresh, Collection<IkeSession> sessions, long now) {
        for (IkeSession o : duplicates(fresh, fresh.connection(), fresh.localIdentity(), fresh.authenticatedPeer(),
                sessions)) {
            new IkeDeleteTask(o).replacedBy(fresh.connection().name(), now);
        }
    }
}
