package io.causeway.conf.parse;

import io.causeway.conf.SourceLocation;

/** key=value as written. An empty value is strongSwan's "reset to the built-in default". */
public record Setting(String key, String value, SourceLocation location) {
    public boolean isReset() {
        return value.isEmpty();
    }
}
