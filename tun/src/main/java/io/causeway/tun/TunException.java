package io.causeway.tun;

/** Opening, reading or writing a TUN device failed. */
public class TunException extends OsException {
    public TunException(String message, int errno) {
        super(message, errno);
    }
}
