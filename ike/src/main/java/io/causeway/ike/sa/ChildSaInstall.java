package io.causeway.ike.sa;

import io.causeway.conf.net.Identity;
import io.causeway.conf.net.Subnet;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What the data plane needs to carry one negotiated CHILD_SA (RFC 7296 2.17): both SPIs, the suite,
 * the keys of each direction, ESN, the agreed traffic selectors, tunnel mode, UDP encapsulation
 * (RFC 3948) and the addresses ESP goes between. {@link SaKeys} redacts itself in toString. peerId is the identity
 * IKE_AUTH authenticated for the IKE SA that negotiated it (the configured rightid may be %any), null if unknown.
 *
 * <p>outboundActive: whether the data plane sends on outboundSpi from the install on. It is false only for the SA a
 * peer's rekey created (we answered the rekey): the peer installs that SA when our answer arrives, so ESP sent on it
 * before then would be dropped there. It receives at once and sends once {@link IkeActions#activateOutbound} says so,
 * when the SA it replaces goes (normally by the peer's DELETE, RFC 7296 2.8); until then the old SA sends.
 *
 * <p>limits: the byte and packet lifetimes both SAs are counted against in the data plane ({@link VolumeLimits}).
 */
public record ChildSaInstall(String connection, int inboundSpi, int outboundSpi, EspSuite suite, SaKeys inboundKeys,
                             SaKeys outboundKeys, boolean esn, List<Subnet> localSelectors,
                             List<Subnet> remoteSelectors, EspMode mode, boolean udpEncapsulation,
                             InetSocketAddress local, InetSocketAddress peer, Identity peerId, boolean outboundActive,
                             VolumeLimits limits) {
    public ChildSaInstall {
        localSelectors = List.copyOf(localSelectors);
        remoteSelectors = List.copyOf(remoteSelectors);
        limits = limits == null ? VolumeLimits.NONE : limits;
    }

    /** An SA that sends from its install on, as every SA but the one a peer's rekey created, without volume limits. */
    public ChildSaInstall(String connection, int inboundSpi, int outboundSpi, EspSuite suite, SaKeys inboundKeys,
                          SaKeys outboundKeys, boolean esn, List<Subnet> localSelectors, List<Subnet> remoteSelectors,
                          EspMode mode, boolean udpEncapsulation, InetSocketAddress local, InetSocketAddress peer,
                          Identity peerId) {
        this(connection, inboundSpi, outboundSpi, suite, inboundKeys, outboundKeys, esn, localSelectors,
                remoteSelectors, mode, udpEncapsulation, local, peer, peerId, true, VolumeLimits.NONE);
    }

    /** The same SA, installed to receive only until {@link IkeActions#activateOutbound} names it. */
    ChildSaInstall receivingFirst() {
        return new ChildSaInstall(connection, inboundSpi, outboundSpi, suite, inboundKeys, outboundKeys, esn,
                localSelectors, remoteSelectors, mode, udpEncapsulation, local, peer, peerId, false, limits);
    }

    /** The same SA with the byte and packet lifetimes the engine armed for it. */
    ChildSaInstall withLimits(VolumeLimits volumeLimits) {
        return new ChildSaInstall(connection, inboundSpi, outboundSpi, suite, inboundKeys, outboundKeys, esn,
                localSelectors, remoteSelectors, mode, udpEncapsulation, local, peer, peerId, outboundActive,
                volumeLimits);
    }

    @Override
    public String toString() {
        return String.format("ChildSaInstall[%s, in %08x, out %08x%s, %s%s, %s === %s, %s%s, peer %s%s]", connection,
                inboundSpi, outboundSpi, outboundActive ? "" : " (sends later)", suite, esn ? "-esn" : "", localSelectors,
                remoteSelectors, mode, udpEncapsulation ? " udp-encap" : "", peer,
                limits.unlimited() ? "" : ", " + limits);
    }
}
