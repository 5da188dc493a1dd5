package io.causeway.ike.crypto;

/** One side's ephemeral Diffie-Hellman key: its public value for the KE payload and the agreement. */
public interface DhKeyPair {

    DhGroup group();

    /** The Key Exchange Data of the KE payload (RFC 7296 section 3.4), in the group's encoding. */
    byte[] publicValue();

    /**
     * g^ir in the form IKE feeds to its PRF (RFC 7296 section 2.14): the peer's value is validated first,
     * and an {@link InvalidPeerKeyException} is thrown instead of computing with a bad one.
     */
    byte[] sharedSecret(byte[] peerPublicValue) throws InvalidPeerKeyException;
}
