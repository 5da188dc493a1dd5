package io.causeway.ike.sa;

import java.net.InetSocketAddress;

/**
 * One IKE message on the wire, without the non-ESP marker (the daemon adds and strips it on port 4500,
 * RFC 3948 2.2). {@code local} is our address and port, {@code remote} the peer's, in both directions.
 */
public record IkeDatagram(byte[] bytes, InetSocketAddress local, InetSocketAddress remote) {
    public IkeDatagram {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "IkeDatagram[" + bytes.length + " bytes, " + local + " <-> " + remote + "]";
    }
}
