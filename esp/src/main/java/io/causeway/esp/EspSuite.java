package io.causeway.esp;

import java.util.Locale;

/**
 * An ESP algorithm combination. For AES-GCM {@code icvBytes} is 8, 12 or 16 and {@code integ} is NONE;
 * for CBC ciphers {@code icvBytes} is the truncated HMAC length of {@code integ}.
 */
public record EspSuite(EspCipher cipher, int keyBits, int icvBytes, EspInteg integ) {
    static final int GCM_SALT_BYTES = 4;

    public EspSuite {
        switch (cipher) {
            case AES_GCM -> {
                requireAesKey(keyBits);
                if (icvBytes != 8 && icvBytes != 12 && icvBytes != 16) {
                    throw new IllegalArgumentException("AES-GCM ICV must be 8, 12 or 16 bytes, not " + icvBytes);
                }
                if (integ != EspInteg.NONE) {
                    throw new IllegalArgumentException("AES-GCM is combined mode: integrity must be NONE");
                }
            }
            case AES_CBC -> requireAesKey(keyBits);
            case DES3_CBC -> requireKey(keyBits, 192);
            case DES_CBC -> requireKey(keyBits, 64);
        }
        if (!cipher.aead() && icvBytes != integ.icvBytes()) {
            throw new IllegalArgumentException("ICV of " + integ + " is " + integ.icvBytes() + " bytes, not " + icvBytes);
        }
    }

    public static EspSuite aesGcm(int keyBits, int icvBytes) {
        return new EspSuite(EspCipher.AES_GCM, keyBits, icvBytes, EspInteg.NONE);
    }

    public static EspSuite cbc(EspCipher cipher, int keyBits, EspInteg integ) {
        return new EspSuite(cipher, keyBits, integ.icvBytes(), integ);
    }

    /** Parses strongSwan-style names: aes128gcm16, aes256gcm8, aes128-sha256, aes256-sha1, 3des-sha1, des-md5, aes128. */
    public static EspSuite parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        int gcm = n.indexOf("gcm");
        if (n.startsWith("aes") && gcm > 0) {
            int bits = Integer.parseInt(n.substring(3, gcm));
            String icv = n.substring(gcm + 3);
            return aesGcm(bits, icv.isEmpty() ? 16 : Integer.parseInt(icv));
        }
        String[] parts = n.split("-", 2);
        EspInteg integ = parts.length == 1 ? EspInteg.NONE : integFromName(parts[1], name);
        String c = parts[0];
        if (c.equals("3des")) {
            return cbc(EspCipher.DES3_CBC, 192, integ);
        }
        if (c.equals("des")) {
            return cbc(EspCipher.DES_CBC, 64, integ);
        }
        if (c.startsWith("aes")) {
            int bits = c.length() == 3 ? 128 : Integer.parseInt(c.substring(3));
            return cbc(EspCipher.AES_CBC, bits, integ);
        }
        throw new IllegalArgumentException("unknown ESP suite: " + name);
    }

    private static EspInteg integFromName(String s, String whole) {
        return switch (s) {
            case "md5", "md5_96" -> EspInteg.HMAC_MD5_96;
            case "sha1", "sha", "sha1_96" -> EspInteg.HMAC_SHA1_96;
            case "sha256", "sha2_256", "sha256_128", "sha2_256_128" -> EspInteg.HMAC_SHA2_256_128;
            case "sha384", "sha2_384", "sha384_192", "sha2_384_192" -> EspInteg.HMAC_SHA2_384_192;
            case "sha512", "sha2_512", "sha512_256", "sha2_512_256" -> EspInteg.HMAC_SHA2_512_256;
            default -> throw new IllegalArgumentException("unknown ESP integrity in " + whole + ": " + s);
        };
    }

    private static void requireAesKey(int bits) {
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new IllegalArgumentException("AES key must be 128, 192 or 256 bits, not " + bits);
        }
    }

    private static void requireKey(int bits, int expected) {
        if (bits != expected) {
            throw new IllegalArgumentException("key must be " + expected + " bits, not " + bits);
        }
    }

    public boolean aead() {
        return cipher.aead();
    }

    /** Encryption key material length, including the 4-byte salt for GCM (RFC 4106 section 8.1). */
    public int encKeyBytes() {
        return keyBits / 8 + (aead() ? GCM_SALT_BYTES : 0);
    }

    public int integKeyBytes() {
        return integ.keyBytes();
    }

    /** Explicit IV carried in each packet: 8 for GCM (RFC 4106 3.1), the block size for CBC. */
    public int ivBytes() {
        return aead() ? 8 : cipher.cipherBlockBytes();
    }

    /** Alignment the padding brings the plaintext to: 4 for GCM (RFC 4106 3.2), the block size for CBC. */
    public int blockBytes() {
        return aead() ? 4 : cipher.cipherBlockBytes();
    }

    /** strongSwan proposal name, e.g. aes128gcm16, aes256-sha256, 3des-sha1. */
    public String name() {
        String c = switch (cipher) {
            case AES_GCM -> "aes" + keyBits + "gcm" + icvBytes;
            case AES_CBC -> "aes" + keyBits;
            case DES3_CBC -> "3des";
            case DES_CBC -> "des";
        };
        return integ == EspInteg.NONE ? c : c + "-" + integ.proposalName();
    }

    @Override
    public String toString() {
        return name();
    }
}
