package io.causeway.ike.crypto;

import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import java.util.Arrays;

/**
 * CHILD_SA keying material (RFC 7296 section 2.17): KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), taken as
 * initiator-to-responder encryption and integrity keys, then responder-to-initiator ones. For AES-GCM the
 * encryption key includes the 4-byte salt (RFC 4106 section 8.1).
 */
public final class ChildKeyDerivation {
    private ChildKeyDerivation() {
    }

    /**
     * @param newSharedSecret g^ir of a CREATE_CHILD_SA exchange with PFS, or {@code null} (the IKE_AUTH
     *                        child, or no PFS)
     * @param nonceI          Ni of the exchange creating the child (IKE_SA_INIT's for the first child)
     */
    public static ChildSaKeys derive(PrfAlgorithm prf, byte[] skD, byte[] newSharedSecret, byte[] nonceI,
                                     byte[] nonceR, EspSuite suite) {
        int encLen = suite.encKeyBytes();
        int integLen = suite.integKeyBytes();
        byte[] seed = newSharedSecret == null
                ? Octets.concat(nonceI, nonceR)
                : Octets.concat(newSharedSecret, nonceI, nonceR);
        byte[] keymat = Prf.of(prf).plus(skD, seed, 2 * (encLen + integLen));
        try {
            int off = 0;
            byte[] encI = Arrays.copyOfRange(keymat, off, off += encLen);
            byte[] integI = Arrays.copyOfRange(keymat, off, off += integLen);
            byte[] encR = Arrays.copyOfRange(keymat, off, off += encLen);
            byte[] integR = Arrays.copyOfRange(keymat, off, off + integLen);
            return new ChildSaKeys(new SaKeys(encI, integI), new SaKeys(encR, integR));
        } finally {
            Arrays.fill(keymat, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
    }
}
