package io.causeway.daemon.cli;

/** Exit codes of DESIGN.md's CLI contract; scripts rely on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 1; // usage or configuration error
    public static final int UNREACHABLE = 2; // daemon not running
    public static final int FAILED = 3; // the operation failed

    private ExitCodes() {}
}
