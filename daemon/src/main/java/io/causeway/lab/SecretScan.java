package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check every daemon a test starts goes through: no configured secret (an ipsec.secrets PSK, a static tunnel's
 * keys) may appear in its log, in what its `status`, `up` and `down` printed or its control socket answered, in a
 * metrics scrape, or in the message of an exception the lab raises or passes on about it (which surefire would print).
 * A finding names the file the secret came from and where it appeared, never the secret. Secrets shorter than
 * {@value #MIN_LENGTH} characters are not looked for: they would match ordinary words.
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

    /**
     * Throws if the message of thrown, of any of its causes or of anything suppressed in it holds one of the secrets;
     * the exception thrown then names the class and where, and carries none of them (they would print the secret).
     */
    public void checkThrown(Throwable thrown, String where) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> open = new ArrayDeque<>(List.of(thrown));
        while (!open.isEmpty()) {
            Throwable t = open.pop();
            if (!seen.add(t)) {
                continue;
            }
            String message = t.getMessage();
            if (message != null) {
                try {
                    check(message, "the message of a " + t.getClass().getName() + " from " + where);
                } catch (LabException finding) {
                    finding.setStackTrace(thrown.getStackTrace());
                    throw finding;
                }
            }
            if (t.getCause() != null) open.push(t.getCause());
            for (Throwable s : t.getSuppressed()) open.push(s);
        }
    }

    /** Something that may throw, checked or not: a control request, a scrape. */
    @FunctionalInterface
    public interface Action<T> {
        T run() throws Exception;
    }

    /** Runs action; what it throws is {@link #checkThrown checked} before it goes on. */
    public <T> T guarded(String where, Action<T> action) throws Exception {
        try {
            return action.run();
        } catch (Exception | AssertionError e) {
            checkThrown(e, where);
            throw e;
        }
    }

    /** {@link #guarded} for actions that throw no checked exception. */
    public <T> T guardedUnchecked(String where, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException | AssertionError e) {
            checkThrown(e, where);
            throw e;
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
