package io.causeway.ike.sa;

import java.net.InetAddress;
import java.net.UnknownHostException;

final class Net {
    private Net() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
