package io.causeway.ike.sa;

import io.causeway.ike.v1.message.KnownVendorIds;
import io.causeway.ike.v1.message.V1PayloadType;
import io.causeway.ike.v1.message.VendorIdPayload1;
import java.util.Arrays;
import java.util.List;

/**
 * What an IKEv1 peer announced by vendor id in phase 1: NAT traversal (RFC 3947, or the drafts whose payload and
 * mode numbers differ), dead peer detection (RFC 3706) and IKE fragmentation.
 */
final class PeerFeatures {
    /** NAT-T by RFC 3947 (NAT-D 20, NAT-OA 21, UDP modes 3 and 4). */
    boolean natTraversalRfc;
    /** NAT-T by draft 02 or 03 only (NAT-D 130, NAT-OA 131, UDP modes 61443 and 61444). */
    boolean natTraversalDraft;
    boolean dpd;
    boolean fragmentation;

    void learn(List<VendorIdPayload1> vendorIds) {
        for (VendorIdPayload1 v : vendorIds) {
            byte[] id = v.data();
            if (Arrays.equals(id, KnownVendorIds.NATT_RFC3947.data())) {
                natTraversalRfc = true;
            } else if (KnownVendorIds.isNatT(id)) {
                natTraversalDraft = true;
            } else if (KnownVendorIds.isDpd(id)) {
                dpd = true;
            } else if (KnownVendorIds.isFragmentation(id)) {
                fragmentation = true;
            }
        }
    }

    boolean natTraversal() {
        return natTraversalRfc || natTraversalDraft;
    }

    int natDPayloadType() {
        return natTraversalRfc ? V1PayloadType.NAT_D : V1PayloadType.NAT_D_DRAFT;
    }

    int natOaPayloadType() {
        return natTraversalRfc ? V1PayloadType.NAT_OA : V1PayloadType.NAT_OA_DRAFT;
    }

    /** The encapsulation mode for ESP in UDP: RFC 3947's numbers unless the peer only speaks a draft. */
    int udpMode(boolean transport) {
        if (natTraversalRfc) {
            return transport ? Phase2Proposals.UDP_TRANSPORT : Phase2Proposals.UDP_TUNNEL;
        }
        return transport ? Phase2Proposals.UDP_TRANSPORT_DRAFT : Phase2Proposals.UDP_TUNNEL_DRAFT;
    }
}
