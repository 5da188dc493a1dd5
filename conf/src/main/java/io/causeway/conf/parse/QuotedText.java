package io.causeway.conf.parse;

/** The lexical rules ipsec.conf and ipsec.secrets share: comments and double-quoted strings. */
public final class QuotedText {
    private QuotedText() {
    }

    /**
     * Cuts a comment off the line. A '#' starts a comment only at the line start or after white space
     * (outside quotes), so values like {@code @#0a1b} key ids survive.
     */
    public static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    public static boolean isQuoted(String text) {
        return text.length() >= 2 && (text.charAt(0) == '"' || text.charAt(0) == '\'')
                && text.charAt(text.length() - 1) == text.charAt(0);
    }

    /**
     * Removes the quotes. Inside double quotes strongSwan understands {@code \" \\ \n \r \t \b \f};
     * single quotes take everything literally.
     */
    public static String unquote(String text) {
        if (!isQuoted(text)) {
            return text;
        }
        String body = text.substring(1, text.length() - 1);
        if (text.charAt(0) == '\'') {
            return body;
        }
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char n = body.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Index of the quote closing the one at start, or -1 if it is never closed. */
    public static int closingQuote(String text, int start) {
        char quote = text.charAt(start);
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }
}
