package io.causeway.ike.v1.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Loads the strongSwan IKEv1 captures under src/test/resources/v1/strongswan-5.9.8 (see README.txt there). */
final class V1Captures {
    static final String DIR = "/v1/strongswan-5.9.8/";
    static final Map<String, Integer> COUNTS = Map.of("main", 11, "aggr", 8, "frag", 23, "dpd", 19);
    static final List<String> ALL = all();

    private V1Captures() {
    }

    private static List<String> all() {
        List<String> names = new ArrayList<>();
        for (String run : List.of("main", "aggr", "frag", "dpd")) {
            for (int i = 1; i <= COUNTS.get(run); i++) {
                names.add(name(run, i));
            }
        }
        return List.copyOf(names);
    }

    static String name(String run, int number) {
        return String.format("%s-%02d", run, number);
    }

    static byte[] message(String name) {
        StringBuilder hex = new StringBuilder();
        for (String line : text(DIR + name + ".hex").split("\n")) {
            if (!line.startsWith("#")) {
                hex.append(line.strip());
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    static byte[] message(String run, int number) {
        return message(name(run, number));
    }

    static Map<String, byte[]> keys(String run) {
        Map<String, byte[]> keys = new HashMap<>();
        for (String line : text(DIR + run + "-keys.txt").split("\n")) {
            if (!line.startsWith("#") && line.contains("=")) {
                String[] kv = line.split("=", 2);
                keys.put(kv[0].strip(), HexFormat.of().parseHex(kv[1].strip()));
            }
        }
        return keys;
    }

    static byte[] resource(String path) {
        try (InputStream in = V1Captures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String resource) {
        return new String(resource(resource), StandardCharsets.US_ASCII);
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmacSha1(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
