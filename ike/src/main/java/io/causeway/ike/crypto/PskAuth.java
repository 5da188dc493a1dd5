package io.causeway.ike.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Shared Key Message Integrity Code authentication (RFC 7296 section 2.15, auth method 2):
 * AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets).
 */
public final class PskAuth {
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private PskAuth() {
    }

    /** AUTH data over already built {@link SignedOctets}. */
    public static byte[] authData(PrfAlgorithm prf, byte[] sharedSecret, byte[] signedOctets) {
        Prf f = Prf.of(prf);
        byte[] padded = f.apply(sharedSecret, KEY_PAD);
        try {
            return f.apply(padded, signedOctets);
        } finally {
            Arrays.fill(padded, (byte) 0);
        }
    }

    /** AUTH data for the sender of {@code realMessage}; parameters as in {@link SignedOctets#of}. */
    public static byte[] authData(PrfAlgorithm prf, byte[] sharedSecret, byte[] realMessage, byte[] peerNonce,
                                  byte[] idPayloadBody, byte[] skP) {
        return authData(prf, sharedSecret, SignedOctets.of(prf, realMessage, peerNonce, idPayloadBody, skP));
    }

    /**
     * Whether the peer's AUTH data is right, compared in constant time. Parameters are the peer's: its
     * first message, our nonce, its ID payload body and its SK_p.
     */
    public static boolean verify(PrfAlgorithm prf, byte[] sharedSecret, byte[] peerRealMessage, byte[] ourNonce,
                                 byte[] peerIdPayloadBody, byte[] peerSkP, byte[] receivedAuthData) {
        byte[] expected = authData(prf, sharedSecret, peerRealMessage, ourNonce, peerIdPayloadBody, peerSkP);
        return Octets.constantTimeEquals(expected, receivedAuthData);
    }
}
