package io.causeway.ike.sa;

import java.util.Arrays;

/**
 * Who gives way when both ends rekey the same SA at once (RFC 7296 2.8.1 for CHILD_SAs, 2.8.2 for the IKE SA):
 * both exchanges complete, and the new SA made by the exchange that holds the lowest of the four nonces is
 * redundant; the endpoint that initiated that exchange deletes it. Nonces compare as unsigned octets over the
 * shorter length, as strongSwan compares them, so both ends reach the same verdict.
 */
final class RekeyCollision {
    private RekeyCollision() {
    }

    /**
     * Whether the SA our exchange created is the redundant one: our exchange's lower nonce (our Ni, the peer's Nr)
     * is below the lower nonce of the peer's exchange (the peer's Ni, our Nr).
     */
    static boolean ourExchangeLoses(byte[] ourNi, byte[] peerNr, byte[] peerNi, byte[] ourNr) {
        return compare(lower(ourNi, peerNr), lower(peerNi, ourNr)) < 0;
    }

    static byte[] lower(byte[] a, byte[] b) {
        return compare(a, b) <= 0 ? a : b;
    }

    /** Unsigned comparison over the common prefix; equal prefixes compare equal. */
    static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        // the ranged form: the whole-array form would rank a proper prefix below the longer nonce
        return Arrays.compareUnsigned(a, 0, n, b, 0, n);
    }
}
