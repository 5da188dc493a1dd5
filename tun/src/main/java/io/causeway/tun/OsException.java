package io.causeway.tun;

/**
 * A system call failed. The message is one line a user can act on; {@link #errno()} keeps the
 * raw error number for code that wants to react to a specific failure.
 */
public class OsException extends RuntimeException {
    private final int errno;

    public OsException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno of the failed call, or 0 when the failure did not come from the kernel. */
    public int errno() {
        return errno;
    }
}
