package io.causeway.ike.v1.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Hex and byte comparison for these tests. Comparisons never put the bytes in a failure message: the
 * values are keys, and test reports end up in CI logs.
 */
final class TestBytes {
    private TestBytes() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    static void assertSameBytes(String what, byte[] expected, byte[] actual) {
        assertTrue(Arrays.equals(expected, actual), () -> what + " differs (expected " + expected.length
                + " bytes, got " + (actual == null ? "null" : actual.length + " bytes") + ")");
    }
}
