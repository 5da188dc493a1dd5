package io.causeway.esp.testing;

import java.util.HexFormat;

public final class Hex {
    private Hex() {
    }

    /** Decodes hex that may contain spaces and line breaks, as RFCs print it. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String of(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }
}
