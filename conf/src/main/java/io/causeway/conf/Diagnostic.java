package io.causeway.conf;

import java.nio.file.Path;

/**
 * One problem found in a configuration file. line is 1-based; 0 means the file as a whole.
 * key is the setting concerned, or null when the problem is not about one setting.
 */
public record Diagnostic(Path file, int line, String key, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<unknown>" : file.toString()).append(':').append(line).append(": ");
        if (key != null) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }
}
