package io.causeway.ike.crypto;

import java.util.HexFormat;

/** Hex strings in tests; whitespace is ignored so RFC vectors can be laid out as printed. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
