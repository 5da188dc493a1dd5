package io.causeway.ike.v1.crypto;

import java.util.Arrays;

/**
 * Fixed-length Diffie-Hellman values. IKEv1 hashes g^xy and the KE data as big-endian octet strings of
 * the group's length (RFC 2409 section 5; the MODP groups of io.causeway.ike.crypto already return
 * them so): a value whose leading octets are zero must keep them, or SKEYID comes out wrong one time
 * in 256.
 */
public final class DhValues {
    private DhValues() {
    }

    /**
     * {@code value} as exactly {@code length} octets: zeros prepended when it is shorter; leading zero
     * octets dropped when it is longer (e.g. the sign octet of {@code BigInteger.toByteArray()}). Throws
     * IllegalArgumentException when a longer value has a non-zero octet beyond {@code length}.
     */
    public static byte[] leftPad(byte[] value, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (value.length == length) {
            return value.clone();
        }
        if (value.length < length) {
            byte[] out = new byte[length];
            System.arraycopy(value, 0, out, length - value.length, value.length);
            return out;
        }
        int excess = value.length - length;
        for (int i = 0; i < excess; i++) {
            if (value[i] != 0) {
                throw new IllegalArgumentException("a " + value.length + "-byte value does not fit in " + length
                        + " bytes");
            }
        }
        return Arrays.copyOfRange(value, excess, value.length);
    }
}
