package io.causeway.conf.export;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.Subnet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One of our connections as the peer gateway has to configure it: the peer's left is the peer itself and
 * its right is this Causeway gateway, so addresses, identities and subnets trade places. Where our file
 * cannot tell the peer a value (our own public address when we only know it at run time), the view says
 * so, and the writers put a placeholder and a comment there.
 */
public final class PeerView {
    /**
     * Stands where our public address belongs when our ipsec.conf does not name it. Neither Causeway's loader
     * nor a resolver accepts it, so an unedited file fails loudly instead of connecting nowhere.
     */
    public static final String OUR_ADDRESS_PLACEHOLDER = "<public-address-of-the-causeway-gateway>";

    private final Connection ours;

    public PeerView(Connection ours) {
        this.ours = ours;
    }

    public Connection ours() {
        return ours;
    }

    public String name() {
        return ours.name();
    }

    /**
     * Where Causeway expects the peer (our right=), for a comment next to the peer's left; empty when we accept
     * the peer from any address. The peer itself writes %defaultroute: the address we see may be its NAT's.
     */
    public Optional<String> expectedPeerAddress() {
        return ours.right().anyAddress() || ours.right().defaultRoute() ? Optional.empty() : Optional.of(ours.right().host());
    }

    /** The peer's right=: our left= when it names this gateway, else {@link #OUR_ADDRESS_PLACEHOLDER}. */
    public String ourAddress() {
        return ourAddressKnown() ? ours.left().host() : OUR_ADDRESS_PLACEHOLDER;
    }

    /** False when our left= is %any or %defaultroute: the peer needs an address we only find at run time. */
    public boolean ourAddressKnown() {
        return !ours.left().anyAddress() && !ours.left().defaultRoute();
    }

    /** Our left= is a private address (RFC 1918, RFC 6598, RFC 4193): across a NAT the peer needs the public one. */
    public boolean ourAddressPrivate() {
        return ours.left().address().map(PeerView::isPrivate).orElse(false);
    }

    /** The peer's own identity (our rightid); empty when we accept any, so the peer's default applies. */
    public Optional<Identity> peerId() {
        return ours.right().id().isAny() ? Optional.empty() : Optional.of(ours.right().id());
    }

    /**
     * The identity the peer expects from us (our leftid); empty when we set none and send our own address, which a
     * NAT in front of us may change, so the peer should accept any.
     */
    public Optional<Identity> ourId() {
        return ours.left().id().isAny() ? Optional.empty() : Optional.of(ours.left().id());
    }

    /** The peer's leftsubnet (our rightsubnet); empty for host-to-host, where the peer's own address is meant. */
    public List<Subnet> peerSubnets() {
        return ours.right().subnetsConfigured() ? ours.right().subnets() : List.of();
    }

    /** The peer's rightsubnet (our leftsubnet); empty for host-to-host. */
    public List<Subnet> ourSubnets() {
        return ours.left().subnetsConfigured() ? ours.left().subnets() : List.of();
    }

    /**
     * Who starts the tunnel. Exactly one side should initiate, or both negotiate an IKE SA and one replaces the
     * other: ours waits (add, or ignore until it is enabled), the peer starts; ours starts, the peer waits.
     * auto=route stays route, so traffic from either side brings the tunnel up.
     */
    public AutoAction peerAuto() {
        return switch (ours.auto()) {
            case START -> AutoAction.ADD;
            case ROUTE -> AutoAction.ROUTE;
            case ADD, IGNORE -> AutoAction.START;
        };
    }

    /** One sentence on why the peer got its auto= value. */
    public String peerAutoReason() {
        return switch (ours.auto()) {
            case START -> "Causeway initiates (auto=start), so this peer only waits: two initiators would each"
                    + " negotiate an IKE SA";
            case ROUTE -> "Causeway initiates on traffic (auto=route); so does this peer, so traffic from either"
                    + " side brings the tunnel up";
            case ADD -> "Causeway only responds (auto=add), so this peer starts the tunnel";
            case IGNORE -> "Causeway does not load this connection yet (auto=ignore); once it does (auto=add), this"
                    + " peer starts the tunnel";
        };
    }

    /** IKEv2 (keyexchange=ikev2 or ike) or IKEv1, as we initiate. */
    public int ikeVersion() {
        return ours.ikeVersion();
    }

    private static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)
                    || (first == 100 && second >= 64 && second <= 127);
        }
        return (b[0] & 0xfe) == 0xfc;
    }
}
