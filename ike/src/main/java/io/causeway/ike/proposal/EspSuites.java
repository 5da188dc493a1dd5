package io.causeway.ike.proposal;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.EspCipher;
import io.causeway.esp.EspInteg;
import io.causeway.esp.EspSuite;

/** Turns a negotiated ESP proposal (IANA transform ids) into the data path's {@link EspSuite}. */
public final class EspSuites {
    static final Algorithm NO_ESN = Algorithms.named("noesn");
    private static final int ENCR_DES = 2;
    private static final int ENCR_3DES = 3;
    private static final int ENCR_AES_CBC = 12;

    private EspSuites() {}

    /** The suite of a chosen proposal: exactly one encryption and, unless AEAD, one integrity transform. */
    public static EspSuite of(Proposal chosen) {
        if (chosen.encryption().size() != 1 || chosen.integrity().size() > 1) {
            throw new IllegalArgumentException("not a negotiated proposal: " + chosen);
        }
        Algorithm encr = chosen.encryption().get(0);
        if (encr.aead()) {
            return EspSuite.aesGcm(encr.keyLengthBits(), encr.icvLengthBytes());
        }
        if (chosen.integrity().isEmpty()) {
            throw new IllegalArgumentException("ESP " + encr.name() + " without an integrity algorithm is not supported");
        }
        EspInteg integ = integ(chosen.integrity().get(0));
        return switch (encr.ianaId()) {
            case ENCR_AES_CBC -> EspSuite.cbc(EspCipher.AES_CBC, encr.keyLengthBits(), integ);
            case ENCR_3DES -> EspSuite.cbc(EspCipher.DES3_CBC, 192, integ);
            case ENCR_DES -> EspSuite.cbc(EspCipher.DES_CBC, 64, integ);
            default -> throw new IllegalArgumentException("no ESP cipher for " + encr.name());
        };
    }

    /** Whether the chosen ESP proposal asks for extended sequence numbers (RFC 4304). */
    public static boolean esn(Proposal chosen) {
        return chosen.extendedSequenceNumbers().stream().anyMatch(a -> a.ianaId() == 1);
    }

    private static EspInteg integ(Algorithm a) {
        // IKEv2 integrity transform ids (RFC 7296 3.3.2, RFC 4868)
        return switch (a.ianaId()) {
            case 1 -> EspInteg.HMAC_MD5_96;
            case 2 -> EspInteg.HMAC_SHA1_96;
            case 12 -> EspInteg.HMAC_SHA2_256_128;
            case 13 -> EspInteg.HMAC_SHA2_384_192;
            case 14 -> EspInteg.HMAC_SHA2_512_256;
            default -> throw new IllegalArgumentException("no ESP integrity for " + a.name());
        };
    }
}
