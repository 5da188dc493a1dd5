package io.causeway.conf;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects errors and warnings while loading, so every problem is reported in one go. */
public final class Diagnostics {
    // sets: a %default value inherited by many conns is reported once, not once per conn
    private final Set<Diagnostic> errors = new LinkedHashSet<>();
    private final Set<Diagnostic> warnings = new LinkedHashSet<>();

    public void error(Path file, int line, String key, String message) {
        errors.add(new Diagnostic(file, line, key, message));
    }

    public void warning(Path file, int line, String key, String message) {
        warnings.add(new Diagnostic(file, line, key, message));
    }

    public List<Diagnostic> errors() {
        return List.copyOf(errors);
    }

    public List<Diagnostic> warnings() {
        return List.copyOf(warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
