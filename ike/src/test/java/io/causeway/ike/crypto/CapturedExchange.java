package io.causeway.ike.crypto;

import io.causeway.esp.EspSuite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One strongSwan IKEv2 exchange captured into test resources (crypto/strongswan-*.txt, see the header
 * comment of each file for version, configuration and date), with the suites it negotiated.
 */
record CapturedExchange(String file, IkeSuite ike, EspSuite esp, int dhGroup, Map<String, byte[]> values) {

    static final CapturedExchange AES_CBC_MODP2048 = load("strongswan-ikev2-aes128-sha256-modp2048.txt",
            new IkeSuite(EncryptionAlgorithm.AES_CBC, 128, IntegrityAlgorithm.HMAC_SHA2_256_128,
                    PrfAlgorithm.HMAC_SHA2_256), EspSuite.parse("aes128-sha256"), 14);
    static final CapturedExchange AES_GCM_ECP384 = load("strongswan-ikev2-aes256gcm16-prfsha384-ecp384.txt",
            new IkeSuite(EncryptionAlgorithm.AES_GCM_16, 256, null, PrfAlgorithm.HMAC_SHA2_384),
            EspSuite.parse("aes256gcm16"), 20);
    static final CapturedExchange AES_GCM_CURVE25519 = load("strongswan-ikev2-aes128gcm16-prfsha256-curve25519.txt",
            new IkeSuite(EncryptionAlgorithm.AES_GCM_16, 128, null, PrfAlgorithm.HMAC_SHA2_256),
            EspSuite.parse("aes128gcm16"), 31);

    static CapturedExchange named(String name) {
        return switch (name) {
            case "cbc-modp2048" -> AES_CBC_MODP2048;
            case "gcm-ecp384" -> AES_GCM_ECP384;
            case "gcm-curve25519" -> AES_GCM_CURVE25519;
            default -> throw new IllegalArgumentException(name);
        };
    }

    byte[] get(String key) {
        byte[] v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + " has no " + key);
        }
        return v.clone();
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** Key Exchange Data of a KE payload body: DH group (2), reserved (2), then the public value. */
    byte[] keData(String key) {
        byte[] body = get(key);
        return java.util.Arrays.copyOfRange(body, 4, body.length);
    }

    private static CapturedExchange load(String file, IkeSuite ike, EspSuite esp, int dhGroup) {
        Map<String, byte[]> values = new HashMap<>();
        try (InputStream in = CapturedExchange.class.getResourceAsStream("/crypto/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                values.put(line.substring(0, eq).trim(), Hex.bytes(line.substring(eq + 1).trim()));
            }
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cannot read test resource crypto/" + file, e);
        }
        return new CapturedExchange(file, ike, esp, dhGroup, Map.copyOf(values));
    }

    @Override
    public String toString() {
        return file;
    }
}
