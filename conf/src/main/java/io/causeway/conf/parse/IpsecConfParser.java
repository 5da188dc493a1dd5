package io.causeway.conf.parse;

import io.causeway.conf.Diagnostics;
import io.causeway.conf.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits ipsec.conf lines into sections. strongSwan wants section headers at column 0 and settings
 * indented; files that cloud consoles generate sometimes put settings at column 0 inside a conn
 * (SCloudStack's download does), so those are kept in the open section with a warning.
 */
public final class IpsecConfParser {
    private static final Pattern HEADER = Pattern.compile("(config|conn|ca)\\s+(\\S+)\\s*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");

    private final Diagnostics diagnostics;
    private final List<Section> sections = new ArrayList<>();
    private Section current;

    private IpsecConfParser(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    public static List<Section> parse(List<SourceLine> lines, Diagnostics diagnostics) {
        IpsecConfParser parser = new IpsecConfParser(diagnostics);
        for (SourceLine line : lines) {
            parser.parseLine(line);
        }
        return parser.sections;
    }

    private void parseLine(SourceLine source) {
        String raw = QuotedText.stripComment(source.text());
        if (raw.isBlank()) {
            return;
        }
        boolean indented = Character.isWhitespace(raw.charAt(0));
        String text = raw.trim();
        SourceLocation at = source.location();
        var header = HEADER.matcher(text);
        if (header.matches() && !text.contains("=")) {
            openSection(at, header.group(1), header.group(2), indented);
            return;
        }
        int eq = text.indexOf('=');
        if (eq < 0) {
            if (!indented && text.matches("version\\s+\\S+")) {
                diagnostics.warning(at.file(), at.line(), "version", "ignored; strongSwan 5 needs no version line");
                return;
            }
            diagnostics.error(at.file(), at.line(), null, "expected a section header (config setup, conn NAME) or an"
                    + " indented key=value, got '" + firstWord(text) + "'");
            return;
        }
        String key = text.substring(0, eq).trim();
        if (!KEY.matcher(key).matches()) {
            diagnostics.error(at.file(), at.line(), null, "'" + key + "' is not a valid key name (letters, digits, '_')");
            return;
        }
        if (current == null) {
            diagnostics.error(at.file(), at.line(), key, "setting outside of any section; put it under 'config setup' or a 'conn NAME'");
            return;
        }
        if (!indented) {
            diagnostics.warning(at.file(), at.line(), key, "not indented; taken as part of " + current.label()
                    + " (strongSwan expects settings indented under their section)");
        }
        String value = value(at, key, text.substring(eq + 1).trim());
        if (value != null) {
            current.add(new Setting(key, value, at));
        }
    }

    private void openSection(SourceLocation at, String type, String name, boolean indented) {
        if (indented) {
            diagnostics.warning(at.file(), at.line(), null, "section header '" + type + " " + name
                    + "' is indented; strongSwan expects it at the start of the line");
        }
        SectionKind kind = switch (type) {
            case "config" -> SectionKind.CONFIG;
            case "ca" -> SectionKind.CA;
            default -> SectionKind.CONN;
        };
        if (kind == SectionKind.CONFIG && !name.equals("setup")) {
            diagnostics.error(at.file(), at.line(), null, "unknown section 'config " + name + "' (allowed: config setup)");
        }
        current = new Section(kind, name, at);
        sections.add(current);
    }

    private String value(SourceLocation at, String key, String text) {
        if (text.startsWith("\"")) {
            int close = QuotedText.closingQuote(text, 0);
            if (close < 0) {
                diagnostics.error(at.file(), at.line(), key, "unterminated double-quoted value");
                return null;
            }
            if (!text.substring(close + 1).isBlank()) {
                diagnostics.error(at.file(), at.line(), key, "text after the closing quote");
                return null;
            }
            return QuotedText.unquote(text.substring(0, close + 1));
        }
        // unquoted values keep single spaces only, as strongSwan reduces runs of white space
        return text.replaceAll("\\s+", " ");
    }

    private static String firstWord(String text) {
        String[] words = text.split("\\s+", 2);
        return words[0];
    }
}
