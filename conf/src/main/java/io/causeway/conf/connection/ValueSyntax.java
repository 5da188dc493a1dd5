package io.causeway.conf.connection;

import java.time.Duration;
import java.util.regex.Pattern;

/** strongSwan's value syntaxes for times, percentages, counters and booleans. Errors are messages for a Diagnostic. */
final class ValueSyntax {
    private static final Pattern TIME = Pattern.compile("(\\d{1,9})([smhd]?)");

    private ValueSyntax() {
    }

    /** {@code 30s}, {@code 10m}, {@code 3h}, {@code 1d}; a plain number is seconds. */
    static Duration duration(String text) {
        var m = TIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time (allowed: a number of seconds, or with s, m, h or d, e.g. 30s, 10m, 3h, 1d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static int percent(String text) {
        if (!text.matches("\\d{1,4}%")) {
            throw new IllegalArgumentException("'" + text + "' is not a percentage (allowed: e.g. 100%)");
        }
        return Integer.parseInt(text.substring(0, text.length() - 1));
    }

    static long count(String text) {
        if (!text.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("'" + text + "' is not a non-negative whole number");
        }
        return Long.parseLong(text);
    }

    static boolean yesNo(String text) {
        return switch (text) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not a boolean (allowed: yes, no)");
        };
    }
}
