package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.proposal.Proposal;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What `status` shows of one IKE SA, IKEv2 ({@link IkeSession}) or IKEv1's ISAKMP SA ({@link IsakmpSession}) alike:
 * the daemon reads it on the control thread and never changes anything through it.
 */
public interface IkeSaView {
    /** 2 for IKEv2, 1 for IKEv1. */
    int ikeVersion();

    Connection connection();

    boolean closed();

    /** Replaced by a rekey (IKEv2) or a re-authentication (IKEv1) and only waiting to go: status shows the new one. */
    boolean rekeyed();

    /** Whether this SA carries connection name: its own, or another one sharing it. */
    boolean carries(String name);

    /** The connections this SA carries, its own first. */
    List<String> carriedConnections();

    /** The IKEv2 SPIs, or IKEv1's cookies. */
    long initiatorSpi();

    long responderSpi();

    boolean isInitiator();

    Optional<Proposal> ikeProposal();

    OptionalLong establishedAt();

    /** When the rekey (IKEv2) or re-authentication (IKEv1) of this SA is due. */
    OptionalLong ikeRekeyAt();

    boolean natDetected();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /** The lifetimes of this SA's CHILD_SA with that inbound SPI, or empty when it has none such. */
    Optional<ChildSaTimes> childTimes(int inboundSpi);
}
