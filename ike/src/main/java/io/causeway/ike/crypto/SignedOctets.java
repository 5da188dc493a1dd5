package io.causeway.ike.crypto;

/**
 * The octets an AUTH payload signs or MACs (RFC 7296 section 2.15): the sender's first message as
 * sent, the peer's nonce data, and prf(SK_p of the sender, the sender's ID payload body).
 * InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload); the responder's
 * mirror is RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload).
 */
public final class SignedOctets {
    private SignedOctets() {
    }

    /**
     * @param realMessage   the sender's IKE_SA_INIT message exactly as sent, header included
     * @param peerNonce     the Nonce Data of the other side's IKE_SA_INIT message
     * @param idPayloadBody the sender's ID payload without its generic header: ID Type, 3 reserved bytes, data
     * @param skP           SK_pi when the initiator authenticates, SK_pr for the responder
     */
    public static byte[] of(PrfAlgorithm prf, byte[] realMessage, byte[] peerNonce, byte[] idPayloadBody,
                            byte[] skP) {
        return Octets.concat(realMessage, peerNonce, Prf.of(prf).apply(skP, idPayloadBody));
    }
}
