package io.causeway.ike.v1.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SKEYID, SKEYID_d, SKEYID_a and SKEYID_e against NIST CAVS 17.3 "IKE v1 Pre-shared Key Authentication"
 * known answers: test resource v1/cavs/ikev1_psk.fax, a subset of NSS's
 * tests/fips/cavs_samples/IKE/fax/ikev1_psk.fax (github.com/nss-dev/nss, commit 9d75dfde2e79), see the
 * file's header.
 */
class CavsIkev1PskTest {

    record Vector(String name, V1Hash hash, Map<String, byte[]> values) {
        byte[] get(String key) {
            byte[] v = values.get(key);
            if (v == null) {
                throw new IllegalStateException(name + " has no " + key);
            }
            return v.clone();
        }

        long cookie(String key) {
            return new BigInteger(1, get(key)).longValue();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        String text;
        try (InputStream in = CavsIkev1PskTest.class.getResourceAsStream("/v1/cavs/ikev1_psk.fax")) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<Vector> out = new ArrayList<>();
        V1Hash hash = null;
        String section = "";
        Map<String, byte[]> current = null;
        String name = null;
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                String h = line.substring(1, line.length() - 1);
                switch (h) {
                    case "SHA-1" -> hash = V1Hash.SHA1;
                    case "SHA-256" -> hash = V1Hash.SHA2_256;
                    case "SHA-384" -> hash = V1Hash.SHA2_384;
                    case "SHA-512" -> hash = V1Hash.SHA2_512;
                    default -> {
                        if (h.startsWith("g^xy")) {
                            section = h.replace(" ", "");
                        } else if (h.startsWith("Ni")) {
                            section = section.replaceAll(",Ni.*", "") + "," + h.replace(" ", "");
                        }
                    }
                }
                continue;
            }
            String[] kv = line.split("=", 2);
            String key = kv[0].trim();
            String value = kv[1].trim();
            if (key.equals("COUNT")) {
                current = new LinkedHashMap<>();
                name = hash + " " + section + " COUNT " + value;
                out.add(new Vector(name, hash, current));
            } else {
                current.put(key, TestBytes.hex(value));
            }
        }
        return out.stream();
    }

    @Test
    void theSubsetCoversEveryHashAndSection() throws IOException {
        List<Vector> all = vectors().toList();
        assertThat(all).hasSize(34);
        assertThat(all.stream().map(Vector::hash).distinct())
                .containsExactlyInAnyOrder(V1Hash.SHA1, V1Hash.SHA2_256, V1Hash.SHA2_384, V1Hash.SHA2_512);
        assertThat(all.stream().mapToInt(v -> v.get("g^xy").length).distinct().sorted().toArray())
                .containsExactly(32, 256, 1024);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void skeyidAndItsDerivativesMatchCavs(Vector v) {
        Phase1Keys keys = Phase1Keys.derivePsk(v.hash(), v.get("pre-shared-key"), v.get("Ni"), v.get("Nr"),
                v.get("g^xy"), v.cookie("CKY_I"), v.cookie("CKY_R"), 16);
        TestBytes.assertSameBytes("SKEYID", v.get("SKEYID"), keys.skeyid());
        TestBytes.assertSameBytes("SKEYID_d", v.get("SKEYID_d"), keys.skeyidD());
        TestBytes.assertSameBytes("SKEYID_a", v.get("SKEYID_a"), keys.skeyidA());
        TestBytes.assertSameBytes("SKEYID_e", v.get("SKEYID_e"), keys.skeyidE());
        TestBytes.assertSameBytes("encryption key (prefix of SKEYID_e)",
                java.util.Arrays.copyOf(v.get("SKEYID_e"), 16), keys.encryptionKey());
        TestBytes.assertSameBytes("SKEYID alone", v.get("SKEYID"),
                Phase1Keys.skeyidPsk(v.hash(), v.get("pre-shared-key"), v.get("Ni"), v.get("Nr")));
    }
}
