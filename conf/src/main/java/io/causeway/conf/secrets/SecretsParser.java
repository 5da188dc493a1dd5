package io.causeway.conf.secrets;

import io.causeway.conf.Diagnostics;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.parse.IncludeFiles;
import io.causeway.conf.parse.QuotedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads ipsec.secrets: {@code [selectors] : PSK secret} entries, indented continuation lines,
 * {@code include} with wildcards. Problems never quote a secret value.
 */
public final class SecretsParser {
    private static final String KEY = "PSK";
    private static final Set<String> NOT_IMPLEMENTED = Set.of(
            "RSA", "ECDSA", "BLISS", "P12", "EAP", "XAUTH", "NTLM", "PIN", "PKCS8", "PRIVATE");
    private static final int MAX_INCLUDE_DEPTH = 10;

    private final Diagnostics diagnostics;
    private final List<SecretEntry> entries = new ArrayList<>();
    private final Deque<Path> includeStack = new ArrayDeque<>();

    private SecretsParser(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    public static Secrets parse(Path file, Diagnostics diagnostics) {
        SecretsParser parser = new SecretsParser(diagnostics);
        parser.parseFile(file, null, 0);
        return new Secrets(parser.entries);
    }

    private record LogicalLine(int line, String text) {
    }

    private void parseFile(Path file, Path includedFrom, int includeLine) {
        Path normal = file.toAbsolutePath().normalize();
        if (includeStack.contains(normal) || includeStack.size() >= MAX_INCLUDE_DEPTH) {
            diagnostics.error(includedFrom, includeLine, "include", "include cycle or nesting deeper than "
                    + MAX_INCLUDE_DEPTH + " at " + file);
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            diagnostics.error(includedFrom != null ? includedFrom : file, includedFrom != null ? includeLine : 0,
                    includedFrom != null ? "include" : null, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            return;
        }
        includeStack.push(normal);
        for (LogicalLine logical : join(lines)) {
            parseLine(file, logical);
        }
        includeStack.pop();
    }

    /** Indented lines continue the entry above them. */
    private static List<LogicalLine> join(List<String> lines) {
        List<LogicalLine> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = QuotedText.stripComment(lines.get(i));
            if (text.isBlank()) {
                continue;
            }
            boolean continuation = Character.isWhitespace(text.charAt(0)) && !result.isEmpty();
            if (continuation) {
                LogicalLine last = result.remove(result.size() - 1);
                result.add(new LogicalLine(last.line(), last.text() + " " + text.trim()));
            } else {
                result.add(new LogicalLine(i + 1, text.trim()));
            }
        }
        return result;
    }

    private void parseLine(Path file, LogicalLine logical) {
        String text = logical.text();
        int line = logical.line();
        if (text.startsWith("include ") || text.startsWith("include\t")) {
            include(file, line, text.substring("include".length()).trim());
            return;
        }
        List<String> tokens = tokenize(text);
        int colon = separator(tokens);
        if (colon < 0) {
            diagnostics.error(file, line, null, "expected 'ID ID : PSK \"secret\"' (no ':' separating identities from the secret)");
            return;
        }
        List<String> rest = tokens.subList(colon + 1, tokens.size());
        if (rest.isEmpty()) {
            diagnostics.error(file, line, null, "missing secret type after ':' (allowed: PSK)");
            return;
        }
        String type = rest.get(0).toUpperCase(Locale.ROOT);
        if (!type.equals("PSK")) {
            diagnostics.error(file, line, rest.get(0), NOT_IMPLEMENTED.contains(type)
                    ? "secret type not implemented (allowed: PSK)" : "unknown secret type (allowed: PSK)");
            return;
        }
        if (rest.size() != 2) {
            diagnostics.error(file, line, KEY, rest.size() < 2 ? "missing secret value after PSK"
                    : "unexpected text after the secret; quote the secret if it contains spaces");
            return;
        }
        List<Identity> selectors = selectors(file, line, tokens.subList(0, colon));
        Psk psk = decode(file, line, rest.get(1));
        if (selectors != null && psk != null) {
            entries.add(new SecretEntry(selectors, psk, file, line));
        }
    }

    private void include(Path file, int line, String pattern) {
        try {
            List<Path> files = IncludeFiles.resolve(file, QuotedText.unquote(pattern));
            for (Path included : files) {
                parseFile(included, file, line);
            }
        } catch (IOException e) {
            diagnostics.error(file, line, "include", "cannot list " + pattern + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private List<Identity> selectors(Path file, int line, List<String> tokens) {
        List<Identity> ids = new ArrayList<>();
        boolean ok = true;
        for (String token : tokens) {
            try {
                ids.add(Identity.parse(QuotedText.unquote(token)));
            } catch (IllegalArgumentException e) {
                diagnostics.error(file, line, "identity", e.getMessage());
                ok = false;
            }
        }
        return ok ? ids : null;
    }

    private Psk decode(Path file, int line, String value) {
        byte[] bytes;
        String text = null;
        if (QuotedText.isQuoted(value)) {
            text = QuotedText.unquote(value);
            bytes = text.getBytes(StandardCharsets.UTF_8);
        } else if (value.startsWith("0x") || value.startsWith("0X")) {
            try {
                bytes = HexFormat.of().parseHex(value.substring(2));
            } catch (IllegalArgumentException e) {
                diagnostics.error(file, line, KEY, "secret starting with 0x is not valid hex (an even number of 0-9a-f digits)");
                return null;
            }
        } else if (value.startsWith("0s")) {
            try {
                bytes = Base64.getDecoder().decode(value.substring(2));
            } catch (IllegalArgumentException e) {
                diagnostics.error(file, line, KEY, "secret starting with 0s is not valid base64");
                return null;
            }
        } else if (value.startsWith("\"") || value.startsWith("'")) {
            diagnostics.error(file, line, KEY, "secret has an opening quote but no closing one");
            return null;
        } else {
            text = value;
            bytes = value.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length == 0) {
            diagnostics.error(file, line, KEY, "empty secret");
            return null;
        }
        for (String advice : PskAdvice.adviceFor(text != null ? text : new String(bytes, StandardCharsets.ISO_8859_1))) {
            diagnostics.warning(file, line, KEY, advice);
        }
        return new Psk(bytes);
    }

    /** Splits on white space, keeping quoted strings (which may contain spaces) whole. */
    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int end;
            if (c == '"' || c == '\'') {
                int close = QuotedText.closingQuote(text, i);
                end = close < 0 ? text.length() : close + 1;
            } else {
                end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
            }
            String token = text.substring(i, end);
            // "host:" glued to the separator, but never split an IPv6 literal
            if (token.length() > 1 && token.endsWith(":") && token.charAt(0) != '"'
                    && IpLiteral.parse(token).isEmpty()) {
                tokens.add(token.substring(0, token.length() - 1));
                tokens.add(":");
            } else if (token.length() > 1 && token.startsWith(":") && tokens.isEmpty()) {
                tokens.add(":");
                tokens.add(token.substring(1));
            } else {
                tokens.add(token);
            }
            i = end;
        }
        return tokens;
    }

    private static int separator(List<String> tokens) {
        return tokens.indexOf(":");
    }
}
