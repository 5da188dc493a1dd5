package io.causeway.ike.crypto;

/** How secrets print: their length only, never their bytes. */
final class Redacted {
    private Redacted() {
    }

    static String of(byte[] secret) {
        return secret == null ? "null" : "<" + secret.length + " bytes redacted>";
    }
}
