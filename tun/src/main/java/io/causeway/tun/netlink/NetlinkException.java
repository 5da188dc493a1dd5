package io.causeway.tun.netlink;

import io.causeway.tun.OsException;

/** The kernel refused a netlink request; the message names the operation and the reason. */
public class NetlinkException extends OsException {
    public NetlinkException(String message, int errno) {
        super(message, errno);
    }
}
