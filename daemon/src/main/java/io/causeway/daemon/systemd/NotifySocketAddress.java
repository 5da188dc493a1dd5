package io.causeway.daemon.systemd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * $NOTIFY_SOCKET as a sockaddr_un (unix(7)): a file system path, or, when it starts with '@', a
 * name in the abstract namespace (sun_path begins with a NUL byte and the name is not
 * NUL-terminated; the address length says where it ends).
 */
final class NotifySocketAddress {
    static final int AF_UNIX = 1;
    /** sizeof(sun_path) on Linux. */
    private static final int SUN_PATH_MAX = 108;
    private static final int FAMILY_SIZE = 2;

    private NotifySocketAddress() {}

    /**
     * The encoded sockaddr_un, exactly as long as the address length to pass to sendto; empty for
     * what this sender cannot reach (systemd 254's "vsock:" addresses, relative paths, too long).
     */
    static Optional<byte[]> encode(String notifySocket) {
        if (notifySocket == null || notifySocket.length() < 2) return Optional.empty();
        boolean abstractName = notifySocket.charAt(0) == '@';
        if (!abstractName && notifySocket.charAt(0) != '/') return Optional.empty();
        byte[] name = notifySocket.substring(abstractName ? 1 : 0).getBytes(StandardCharsets.UTF_8);
        // a path needs room for its terminating NUL, an abstract name for its leading one
        if (name.length + 1 > SUN_PATH_MAX) return Optional.empty();
        ByteBuffer b = ByteBuffer.allocate(FAMILY_SIZE + name.length + 1).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) b.put((byte) 0);
        b.put(name);
        return Optional.of(b.array()); // a path's NUL is the last, zero-filled byte
    }
}
