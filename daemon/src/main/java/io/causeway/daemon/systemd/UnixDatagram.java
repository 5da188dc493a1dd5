package io.causeway.daemon.systemd;

import io.causeway.tun.nativeio.Errno;
import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;

/**
 * Sends one datagram on a fresh AF_UNIX socket. Java 17's DatagramChannel has no Unix domain
 * support (only stream channels do), so the three calls go through libc with jnr-ffi.
 */
final class UnixDatagram {
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;

    /**
     * The libc calls this class makes; jnr-ffi copies the @In arrays to native memory per call.
     * Public because jnr-ffi implements it in a class loader of its own.
     */
    public interface Calls {
        int socket(int domain, int type, int protocol);

        long sendto(int fd, @In byte[] buf, long len, int flags, @In byte[] addr, int addrLen);

        int close(int fd);
    }

    private static final class Lazy {
        static final Calls LIBC = LibraryLoader.create(Calls.class).load("c");
    }

    private UnixDatagram() {}

    /** Sends {@code payload} to the encoded sockaddr_un {@code address}, whole or not at all. */
    static void send(byte[] address, byte[] payload) throws IOException {
        Calls libc = Lazy.LIBC;
        int fd = libc.socket(NotifySocketAddress.AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("socket(AF_UNIX, SOCK_DGRAM): " + Errno.text(Errno.last()));
        try {
            for (;;) {
                long sent = libc.sendto(fd, payload, payload.length, 0, address, address.length);
                if (sent == payload.length) return;
                int err = Errno.last();
                if (sent < 0 && err == Errno.EINTR) continue;
                throw new IOException("sendto: " + (sent < 0 ? Errno.text(err) : "sent " + sent + " of " + payload.length + " bytes"));
            }
        } finally {
            libc.close(fd);
        }
    }
}
