package io.causeway.ike.sa;

import io.causeway.conf.connection.ConnType;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import io.causeway.ike.proposal.EspSuites;
import io.causeway.ike.v1.crypto.Keymat;
import io.causeway.ike.v1.message.IdPayload1;
import io.causeway.ike.v1.message.NatOaPayload1;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.ProposalPayload1;
import java.util.Arrays;
import java.util.List;

/**
 * The IPsec SA pair a quick mode negotiated (RFC 2409 5.5): KEYMAT for each direction from SKEYID_d, the optional
 * PFS secret, the receiver's SPI and both nonces, and the {@link ChildSaInstall} the data plane gets.
 */
final class QuickModeKeys {
    private QuickModeKeys() {
    }

    static ChildSaInstall install(IsakmpSession s, Connection c, Phase2Proposals.Choice choice, int ourSpi,
                                  byte[] pfsSecret, byte[] nonceI, byte[] nonceR, List<Subnet> local, List<Subnet> remote) {
        EspSuite suite = EspSuites.of(choice.proposal());
        int bytes = suite.encKeyBytes() + suite.integKeyBytes();
        byte[] in = Keymat.derive(s.choice.hash(), s.keys.skeyidD(), pfsSecret, ProposalPayload1.PROTO_IPSEC_ESP, ourSpi,
                nonceI, nonceR, bytes);
        byte[] out = Keymat.derive(s.choice.hash(), s.keys.skeyidD(), pfsSecret, ProposalPayload1.PROTO_IPSEC_ESP,
                choice.peerSpi(), nonceI, nonceR, bytes);
        SaKeys inbound = Keymat.espKeys(suite, in);
        SaKeys outbound = Keymat.espKeys(suite, out);
        Arrays.fill(in, (byte) 0);
        Arrays.fill(out, (byte) 0);
        if (pfsSecret != null) {
            Arrays.fill(pfsSecret, (byte) 0);
        }
        EspMode mode = choice.transportMode() ? EspMode.TRANSPORT : EspMode.TUNNEL;
        return new ChildSaInstall(c.name(), ourSpi, choice.peerSpi(), suite, inbound, outbound, false, local,
                remote, mode, choice.udpEncapsulated() || s.nat, s.local, s.remote, s.authenticatedPeer);
    }

    /** The encapsulation mode we ask for: tunnel or transport, in UDP once a NAT was found (RFC 3947 5.3). */
    static int encapsulation(IsakmpSession s, Connection c) {
        boolean transport = c.type() == ConnType.TRANSPORT;
        if (s.nat) {
            return s.peer.udpMode(transport);
        }
        return transport ? Phase2Proposals.TRANSPORT : Phase2Proposals.TUNNEL;
    }

    /**
     * NAT-OA (RFC 3947 5.2): in transport mode through a NAT the initiator sends both original addresses, NAT-OAi
     * ours and NAT-OAr the peer's, which a peer needs to fix TCP and UDP checksums; tunnel mode needs none.
     */
    static List<V1Payload> natOa(IsakmpSession s, Connection c) {
        if (!s.nat || c.type() != ConnType.TRANSPORT || !s.peer.natTraversal()) {
            return List.of();
        }
        int type = s.peer.natOaPayloadType();
        return List.of(NatOaPayload1.of(type, s.local.getAddress()), NatOaPayload1.of(type, s.remote.getAddress()));
    }

    /** A selector as quick mode's ID payload: a host as an address, anything else as a subnet (RFC 2407 4.6.2). */
    static IdPayload1 id(Subnet selector) {
        int port = selector.fromPort() == selector.toPort() ? selector.fromPort() : 0;
        return IdPayload1.ofSubnet(selector, selector.protocol(), port);
    }
}
