package io.causeway.ike.sa;

import io.causeway.conf.secrets.Psk;
import io.causeway.ike.crypto.PrfAlgorithm;
import io.causeway.ike.crypto.PskAuth;
import io.causeway.ike.v2.message.AuthPayload;
import io.causeway.ike.v2.message.IdPayload;
import java.util.Arrays;

/** AUTH payloads with a pre-shared key (RFC 7296 2.15, method 2); the key bytes are wiped after each use. */
final class PskAuthenticator {
    private PskAuthenticator() {
    }

    /** Our AUTH: over our IKE_SA_INIT message, the peer's nonce and our ID, keyed with our SK_p. */
    static AuthPayload sign(PrfAlgorithm prf, Psk psk, byte[] ourInitMessage, byte[] peerNonce, IdPayload ourId,
                            byte[] ourSkP) {
        byte[] secret = psk.bytes();
        try {
            return new AuthPayload(AuthPayload.SHARED_KEY_MIC,
                    PskAuth.authData(prf, secret, ourInitMessage, peerNonce, ourId.body(), ourSkP));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Whether the peer's AUTH is a PSK MIC over its message, our nonce and its ID. */
    static boolean verify(PrfAlgorithm prf, Psk psk, byte[] peerInitMessage, byte[] ourNonce, IdPayload peerId,
                          byte[] peerSkP, AuthPayload received) {
        if (received.method() != AuthPayload.SHARED_KEY_MIC) {
            return false;
        }
        byte[] secret = psk.bytes();
        try {
            return PskAuth.verify(prf, secret, peerInitMessage, ourNonce, peerId.body(), peerSkP, received.data());
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
