package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check every daemon a test starts goes through: no configured secret (an ipsec.secrets PSK, a static tunnel's
 * keys) may appear in its log or in what its `status` printed. A finding names the file the secret came from and
 * where it appeared, never the secret. Secrets shorter than {@value #MIN_LENGTH} characters are not looked for:
 * they would match ordinary words.
 */
public final class SecretScan {
    static final int MIN_LENGTH = 6;
    /** PSK "quoted", PSK 'quoted', or PSK token (0x hex, 0s base64, or a bare word). */
    private static final Pattern PSK = Pattern.compile("PSK\\s+(?:\"([^\"]*)\"|'([^']*)'|(\\S+))");
    /** static-tunnel properties that hold key material. */
    private static final Pattern KEY_PROPERTY = Pattern.compile("^\\s*[\\w.-]*key[\\w.-]*\\s*[=:]\\s*(\\S+)",
            Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

    private final Path source;
    private final List<String> secrets;

    private SecretScan(Path source, List<String> secrets) {
        this.source = source;
        this.secrets = secrets;
    }

    /** The PSKs of an ipsec.secrets file. */
    public static SecretScan ofSecretsFile(Path file) {
        List<String> found = new ArrayList<>();
        Matcher m = PSK.matcher(read(file));
        while (m.find()) {
            String s = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            add(found, s);
            if (s.startsWith("0x")) add(found, s.substring(2)); // as it would be printed in hex
        }
        return new SecretScan(file, found);
    }

    /** The key properties of a static-tunnel file. */
    public static SecretScan ofKeyProperties(Path file) {
        List<String> found = new ArrayList<>();
        Matcher m = KEY_PROPERTY.matcher(read(file));
        while (m.find()) {
            String s = m.group(1);
            add(found, s);
            if (s.startsWith("0x")) add(found, s.substring(2));
        }
        return new SecretScan(file, found);
    }

    /** How many secrets are looked for (a test of the scan itself asserts it found them). */
    public int size() {
        return secrets.size();
    }

    /** Throws if text, which came from {@code where}, holds one of the secrets. */
    public void check(String text, String where) {
        String lower = text.toLowerCase();
        for (int i = 0; i < secrets.size(); i++) {
            if (lower.contains(secrets.get(i).toLowerCase())) {
                throw new LabException("secret #" + (i + 1) + " of " + source + " appeared in " + where);
            }
        }
    }

    private static void add(List<String> found, String s) {
        if (s != null && s.length() >= MIN_LENGTH && !found.contains(s)) found.add(s);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new LabException("cannot read " + file, e);
        }
    }
}
