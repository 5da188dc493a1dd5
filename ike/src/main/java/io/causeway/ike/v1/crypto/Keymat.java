package io.causeway.ike.v1.crypto;

import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import java.util.Arrays;

/**
 * Quick mode keying material (RFC 2409 section 5.5). Each SA direction gets its own KEYMAT, told apart by
 * the SPI: the SPI the receiving side chose for the SA the keys protect. The initiator-to-responder SA uses
 * the responder's SPI (from its SA payload), the other direction the initiator's.
 */
public final class Keymat {
    private Keymat() {
    }

    /**
     * KEYMAT = K1 | K2 | ... truncated to {@code bytes}, with K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI |
     * Ni_b | Nr_b) and K(n+1) = prf(SKEYID_d, Kn | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
     *
     * @param pfsSharedSecretOrNull g(qm)^xy of a quick mode with PFS (full length), or null without KE payloads
     * @param protocol              the proposal's protocol id, 3 for ESP ({@link V1EspAlgorithms#PROTO_IPSEC_ESP})
     * @param spi                   the 4-byte SPI of the SA the keys are for, as the receiver chose it
     * @param nonceI                Ni_b, the body of the quick mode initiator's Nonce payload
     */
    public static byte[] derive(V1Hash prf, byte[] skeyidD, byte[] pfsSharedSecretOrNull, int protocol, int spi,
                                byte[] nonceI, byte[] nonceR, int bytes) {
        if (protocol < 0 || protocol > 0xff) {
            throw new IllegalArgumentException("protocol id is one octet: " + protocol);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("negative KEYMAT length");
        }
        byte[] seed = Bytes.concat(pfsSharedSecretOrNull == null ? new byte[0] : pfsSharedSecretOrNull,
                new byte[] {(byte) protocol}, Bytes.of(spi), nonceI, nonceR);
        int block = prf.outputBytes();
        byte[] keymat = new byte[(bytes + block - 1) / block * block];
        byte[] k = new byte[0];
        try {
            for (int off = 0; off < bytes; off += block) {
                k = prf.prf(skeyidD, k, seed);
                System.arraycopy(k, 0, keymat, off, block);
            }
            return Arrays.copyOf(keymat, bytes);
        } finally {
            Arrays.fill(keymat, (byte) 0);
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(k, (byte) 0);
        }
    }

    /** KEYMAT length one SA direction of {@code suite} needs: encryption key (with GCM salt) plus integrity key. */
    public static int bytesFor(EspSuite suite) {
        return suite.encKeyBytes() + suite.integKeyBytes();
    }

    /**
     * Splits one direction's KEYMAT: the encryption key first (for AES-GCM the AES key and then the 4-byte
     * salt, RFC 4106 section 8.1), then the integrity key: the order IKEv2 uses (RFC 7296 section 2.17)
     * and strongSwan's IKEv1 KEYMAT split, which the test captures confirm. Bytes beyond {@link #bytesFor}
     * are ignored.
     */
    public static SaKeys espKeys(EspSuite suite, byte[] keymat) {
        int enc = suite.encKeyBytes();
        int integ = suite.integKeyBytes();
        if (keymat.length < enc + integ) {
            throw new IllegalArgumentException(suite + " needs " + (enc + integ) + " bytes of KEYMAT, not "
                    + keymat.length);
        }
        byte[] encKey = Arrays.copyOfRange(keymat, 0, enc);
        byte[] integKey = Arrays.copyOfRange(keymat, enc, enc + integ);
        try {
            return new SaKeys(encKey, integKey);
        } finally {
            Arrays.fill(encKey, (byte) 0);
            Arrays.fill(integKey, (byte) 0);
        }
    }

    /** The ESP keys of one SA direction: {@link #derive} for ESP and {@link #bytesFor}, then {@link #espKeys}. */
    public static SaKeys espKeys(V1Hash prf, byte[] skeyidD, byte[] pfsSharedSecretOrNull, int spi, byte[] nonceI,
                                 byte[] nonceR, EspSuite suite) {
        byte[] keymat = derive(prf, skeyidD, pfsSharedSecretOrNull, V1EspAlgorithms.PROTO_IPSEC_ESP, spi, nonceI,
                nonceR, bytesFor(suite));
        try {
            return espKeys(suite, keymat);
        } finally {
            Arrays.fill(keymat, (byte) 0);
        }
    }
}
