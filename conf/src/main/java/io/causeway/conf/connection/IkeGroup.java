package io.causeway.conf.connection;

import io.causeway.conf.net.Identity;
import io.causeway.conf.proposal.Proposal;
import java.time.Duration;
import java.util.List;

/**
 * The IKE parameters of a connection: connections with equal groups share one IKE SA and are its CHILD_SAs, as
 * strongSwan merges ipsec.conf conns with the same peer, ids, authentication and IKE proposal into one peer config
 * (RFC 7296 1.3.1: further CHILD_SAs come with CREATE_CHILD_SA). Everything that is negotiated or enforced for the
 * IKE SA itself is part of it; what belongs to a CHILD_SA (subnets, esp, lifetime/lifebytes, mode, auto,
 * dpdaction, closeaction) is not. The secret follows from the ids and addresses, which ipsec.secrets is keyed by.
 */
public record IkeGroup(int ikeVersion, boolean acceptsAnyIkeVersion, boolean aggressive, String localHost,
                       String remoteHost, Identity localId, Identity remoteId, AuthMethod localAuth,
                       AuthMethod remoteAuth, List<Proposal> ike, Duration ikeLifetime, Duration margin,
                       int rekeyFuzzPercent, boolean reauth, int keyingTries, Duration dpdDelay, Duration dpdTimeout,
                       boolean forceEncaps, Fragmentation fragmentation, boolean mobike) {
    public IkeGroup {
        ike = List.copyOf(ike);
    }

    public static IkeGroup of(Connection c) {
        return new IkeGroup(c.ikeVersion(), c.acceptsAnyIkeVersion(), c.aggressive(), c.left().host(), c.right().host(),
                c.left().id(), c.right().id(), c.left().auth(), c.right().auth(), c.ike(), c.ikeLifetime(), c.margin(),
                c.rekeyFuzzPercent(), c.reauth(), c.keyingTries(), c.dpdDelay(), c.dpdTimeout(), c.forceEncaps(),
                c.fragmentation(), c.mobike());
    }

    /** Whether a and b are carried by one IKE SA. */
    public static boolean shared(Connection a, Connection b) {
        return of(a).equals(of(b));
    }
}
