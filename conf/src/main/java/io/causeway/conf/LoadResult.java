package io.causeway.conf;

import java.util.List;

/** The outcome of loading: the config (even when there are errors, as far as it could be built) and every problem found. */
public record LoadResult(Config config, List<Diagnostic> errors, List<Diagnostic> warnings) {
    public LoadResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** No errors; warnings do not count. */
    public boolean ok() {
        return errors.isEmpty();
    }
}
