package io.causeway.conf.proposal;

import java.util.List;

/** A proposal string that cannot be used; lists every problem found in it, each a complete sentence fragment. */
public final class InvalidProposalException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidProposalException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
