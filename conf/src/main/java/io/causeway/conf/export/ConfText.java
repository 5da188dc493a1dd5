package io.causeway.conf.export;

/** Builds an exported file line by line: indented settings and comments wrapped to a readable width. */
final class ConfText {
    private static final int WIDTH = 100;

    private final StringBuilder out = new StringBuilder();
    private final String separator;

    /** separator: "=" for ipsec.conf, " = " for swanctl.conf. */
    ConfText(String separator) {
        this.separator = separator;
    }

    ConfText line(int indent, String text) {
        out.append(" ".repeat(indent)).append(text).append('\n');
        return this;
    }

    ConfText blank() {
        out.append('\n');
        return this;
    }

    ConfText setting(int indent, String key, Object value) {
        return line(indent, key + separator + value);
    }

    /** A comment at this indent, wrapped at word boundaries. */
    ConfText comment(int indent, String text) {
        String prefix = " ".repeat(indent) + "# ";
        StringBuilder current = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (current.length() > prefix.length() && current.length() + 1 + word.length() > WIDTH) {
                out.append(current.toString().stripTrailing()).append('\n');
                current = new StringBuilder(prefix);
            }
            if (current.length() > prefix.length()) {
                current.append(' ');
            }
            current.append(word);
        }
        out.append(current.toString().stripTrailing()).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
