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
 */
public record ChildSaInstall(String connection, int inboundSpi, int outboundSpi, EspSuite suite, SaKeys inboundKeys,
                             SaKeys outboundKeys, boolean esn, List<Subnet> localSelectors,
                             List<Subnet> remoteSelectors, EspMode mode, boolean udpEncapsulation,
                             InetSocketAddress local, InetSocketAddress peer, Identity peerId) {
    public ChildSaInstall {
        localSelectors = List.copyOf(localSelectors);
        remoteSelectors = List.copyOf(remoteSelectors);
    }

    @Override
    public String toString() {
        return String.format("ChildSaInstall[%s, in %08x, out %08x, %s%s, %s === %s, %s%s, peer %s]", connection,
                inboundSpi, outboundSpi, suite, esn ? "-esn" : "", localSelectors, remoteSelectors, mode,
                udpEncapsulation ? " udp-encap" : "", peer);
    }
}
