package io.causeway.ike.sa;

import io.causeway.ike.crypto.NatDetection;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import java.net.InetSocketAddress;
import java.util.List;

/** NAT detection in IKE_SA_INIT (RFC 7296 2.23): our NAT-D notifies, and whether the peer's ones reveal a NAT. */
final class NatDetector {
    private NatDetector() {
    }

    /** NAT_DETECTION_SOURCE_IP hashes where we send from, DESTINATION_IP where we send to. */
    static List<NotifyPayload> notifies(byte[] spiI, byte[] spiR, InetSocketAddress local, InetSocketAddress remote) {
        return List.of(
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, NatDetection.hash(spiI, spiR, local)),
                NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, NatDetection.hash(spiI, spiR, remote)));
    }

    /**
     * Whether a NAT sits between us: the peer's source hash matches none of the addresses we see it at,
     * or its destination hash is not our address. A peer that sends no NAT-D claims nothing.
     */
    static boolean natDetected(IkeMessage received, byte[] spiI, byte[] spiR, InetSocketAddress local,
                               InetSocketAddress remote) {
        List<NotifyPayload> sources = received.notifies(NotifyType.NAT_DETECTION_SOURCE_IP);
        boolean remoteBehindNat = !sources.isEmpty()
                && sources.stream().noneMatch(n -> NatDetection.matches(n.data(), spiI, spiR, remote));
        List<NotifyPayload> destinations = received.notifies(NotifyType.NAT_DETECTION_DESTINATION_IP);
        boolean localBehindNat = !destinations.isEmpty()
                && destinations.stream().noneMatch(n -> NatDetection.matches(n.data(), spiI, spiR, local));
        return remoteBehindNat || localBehindNat;
    }
}
