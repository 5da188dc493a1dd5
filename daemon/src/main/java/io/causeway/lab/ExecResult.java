package io.causeway.lab;

import java.util.List;

/** Outcome of one finished (or timed-out) command. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** Returns this result, or throws with the command's output so a failing step explains itself. */
    public ExecResult orThrow() {
        if (!ok()) {
            throw new LabException(describe());
        }
        return this;
    }

    public String describe() {
        return String.join(" ", command)
                + (timedOut ? " timed out" : " exited " + exitCode)
                + (stdout.isBlank() ? "" : "\n--- stdout ---\n" + stdout.strip())
                + (stderr.isBlank() ? "" : "\n--- stderr ---\n" + stderr.strip());
    }
}
