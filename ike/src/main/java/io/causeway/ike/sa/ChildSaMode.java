package io.causeway.ike.sa;

import io.causeway.conf.connection.ConnType;
import io.causeway.conf.connection.Connection;
import io.causeway.esp.EspMode;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The IPsec mode of one CHILD_SA exchange (RFC 7296 1.3.1, 3.10.1): tunnel, unless the request carries
 * N(USE_TRANSPORT_MODE) and the answer carries it back. Decided as strongSwan decides it:
 *
 * <ul>
 *   <li>The responder answers with the notify, and installs transport mode, only when it was asked, its own
 *       connection is type=transport, and the agreed selectors are exactly the two IKE hosts. Otherwise it
 *       declines by answering without the notify, and the SA is a tunnel-mode SA.</li>
 *   <li>The initiator takes an answer without the notify as tunnel mode, also when it asked for transport
 *       (strongSwan installs the tunnel-mode SA rather than deleting it). An answer with the notify is accepted
 *       only if we asked for it and the selectors are the two hosts; otherwise the SA is deleted.</li>
 *   <li>Behind a NAT (RFC 7296 2.23.1) each end proposes the addresses it knows itself by, which the other end
 *       does not see. Once transport mode is on the table, host selectors are read as the IKE addresses as seen
 *       here (the address each IKE datagram came from or went to), so the installed selectors are always the
 *       outer addresses this end sees, which is what the data plane rebuilds inner headers from.</li>
 * </ul>
 */
final class ChildSaMode {
    /** The notify arrived: in a request, transport mode is asked for; in an answer, it was granted. */
    private final boolean signalled;
    /** Responder: our connection is type=transport. Initiator: we asked for transport mode. */
    private final boolean ours;
    /** A NAT lies between the two ends (or encapsulation is forced): host selectors are read as seen. */
    private final boolean nat;
    /** This end answers the exchange. */
    private final boolean responder;
    private final InetAddress initiatorHost;
    private final InetAddress responderHost;

    private ChildSaMode(boolean responder, boolean signalled, boolean ours, boolean nat, InetAddress initiatorHost,
                        InetAddress responderHost) {
        this.responder = responder;
        this.signalled = signalled;
        this.ours = ours;
        this.nat = nat;
        this.initiatorHost = initiatorHost;
        this.responderHost = responderHost;
    }

    /** Whether a new CHILD_SA of this connection asks for transport mode: type=transport. */
    static boolean wanted(Connection c) {
        return c.type() == ConnType.TRANSPORT;
    }

    static NotifyPayload useTransportMode() {
        return NotifyPayload.of(NotifyType.USE_TRANSPORT_MODE);
    }

    static boolean present(List<? extends Payload> payloads) {
        return payloads.stream().anyMatch(p -> p instanceof NotifyPayload n && n.notifyType() == NotifyType.USE_TRANSPORT_MODE);
    }

    /** The responder's view of a request; peer is the exchange's initiator, us its responder. */
    static ChildSaMode responder(List<? extends Payload> request, Connection ours, boolean nat, InetAddress peer,
                                 InetAddress us) {
        return new ChildSaMode(true, present(request), wanted(ours), nat, peer, us);
    }

    /** The initiator's view of an answer to a request that asked for transport mode or not. */
    static ChildSaMode initiator(List<? extends Payload> answer, boolean asked, boolean nat, InetAddress us,
                                 InetAddress peer) {
        return new ChildSaMode(false, present(answer), asked, nat, us, peer);
    }

    /** TSi as it is to be narrowed or checked here (2.23.1: behind a NAT, the initiator's address as seen). */
    List<AddressRangeSelector> initiatorSelectors(List<AddressRangeSelector> tsi) {
        return substituting() ? asSeen(tsi, initiatorHost) : tsi;
    }

    /** TSr as it is to be narrowed or checked here (2.23.1: behind a NAT, the responder's address as seen). */
    List<AddressRangeSelector> responderSelectors(List<AddressRangeSelector> tsr) {
        return substituting() ? asSeen(tsr, responderHost) : tsr;
    }

    /**
     * The responder grants transport mode only to a request asking for it, on a type=transport connection, for
     * host-to-host selectors; otherwise the answer goes without the notify and the SA is tunnel mode (3.10.1).
     */
    EspMode answer(List<AddressRangeSelector> narrowedI, List<AddressRangeSelector> narrowedR) {
        return signalled && ours && hostToHost(narrowedI, narrowedR) ? EspMode.TRANSPORT : EspMode.TUNNEL;
    }

    /**
     * The initiator's reading of the answer: tunnel without the notify (a declined request is tunnel mode, which
     * strongSwan accepts); transport with it, if we asked and the selectors are the two hosts; empty when the answer
     * cannot be accepted and the SA must be deleted (3.10.1).
     */
    Optional<EspMode> accepted(List<AddressRangeSelector> tsi, List<AddressRangeSelector> tsr) {
        if (!signalled) {
            return Optional.of(EspMode.TUNNEL);
        }
        return ours && hostToHost(tsi, tsr) ? Optional.of(EspMode.TRANSPORT) : Optional.empty();
    }

    /** Why {@link #accepted} refused, for lastError. */
    String refusal() {
        return ours ? "peer answered USE_TRANSPORT_MODE for traffic selectors that are not the two hosts"
                : "peer answered USE_TRANSPORT_MODE, which we did not ask for (type=tunnel)";
    }

    private boolean substituting() {
        // the responder only when it would grant transport mode; the initiator whenever it was granted, so that an
        // answer it did not ask for fails on the mode, not on the addresses
        return nat && signalled && (ours || !responder);
    }

    private boolean hostToHost(List<AddressRangeSelector> tsi, List<AddressRangeSelector> tsr) {
        return allAre(tsi, initiatorHost) && allAre(tsr, responderHost);
    }

    private static boolean allAre(List<AddressRangeSelector> selectors, InetAddress host) {
        byte[] octets = host.getAddress();
        return !selectors.isEmpty() && selectors.stream().allMatch(s -> Arrays.equals(s.startAddress(), octets)
                && Arrays.equals(s.endAddress(), octets));
    }

    /**
     * The host selectors of the first host proposed, each with {@code seen} as its address (protocol and ports
     * kept); unchanged when there is no host selector to substitute.
     */
    static List<AddressRangeSelector> asSeen(List<AddressRangeSelector> proposed, InetAddress seen) {
        byte[] first = null;
        byte[] octets = seen.getAddress();
        List<AddressRangeSelector> out = new ArrayList<>();
        for (AddressRangeSelector s : proposed) {
            boolean host = Arrays.equals(s.startAddress(), s.endAddress());
            if (!host || (first != null && !Arrays.equals(first, s.startAddress()))) {
                continue;
            }
            first = s.startAddress();
            AddressRangeSelector substituted = new AddressRangeSelector(s.ipProtocolId(), s.startPort(), s.endPort(),
                    octets, octets);
            if (!out.contains(substituted)) {
                out.add(substituted);
            }
        }
        return out.isEmpty() ? proposed : out;
    }
}
