package io.causeway.tun.testing;

/** Hex literals for expected bytes; spaces are for reading only. */
public final class Hex {
    private Hex() {
    }

    public static byte[] hex(String... parts) {
        String s = String.join("", parts).replace(" ", "");
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
