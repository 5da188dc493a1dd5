package io.causeway.ike.v2.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Loads the strongSwan captures under src/test/resources/v2/strongswan-5.9.8 (see README.txt there). */
final class Captures {
    static final List<String> ALL = List.of(
            "plain-01-ike_sa_init-request", "plain-02-ike_sa_init-response", "plain-03-ike_auth-request",
            "plain-04-ike_auth-response", "plain-05-informational-request", "plain-06-informational-response",
            "plain-07-informational-request", "plain-08-informational-response",
            "gcmfrag-01-ike_sa_init-request", "gcmfrag-02-ike_sa_init-response", "gcmfrag-03-ike_auth-request",
            "gcmfrag-04-ike_auth-request", "gcmfrag-05-ike_auth-request", "gcmfrag-06-ike_auth-response",
            "gcmfrag-07-ike_auth-response", "gcmfrag-08-informational-request", "gcmfrag-09-informational-response");

    private Captures() {
    }

    static byte[] message(String name) {
        StringBuilder hex = new StringBuilder();
        for (String line : text("/v2/strongswan-5.9.8/" + name + ".hex").split("\n")) {
            if (!line.startsWith("#")) {
                hex.append(line.strip());
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    /** name = hex lines of a keys file, e.g. "sk_ei". */
    static Map<String, byte[]> keys(String run) {
        Map<String, byte[]> keys = new HashMap<>();
        for (String line : text("/v2/strongswan-5.9.8/" + run + "-keys.txt").split("\n")) {
            if (!line.startsWith("#") && line.contains("=")) {
                String[] kv = line.split("=", 2);
                keys.put(kv[0].strip(), HexFormat.of().parseHex(kv[1].strip()));
            }
        }
        return keys;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    private static String text(String resource) {
        try (InputStream in = Captures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
