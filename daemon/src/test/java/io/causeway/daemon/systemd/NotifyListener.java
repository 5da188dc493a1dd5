package io.causeway.daemon.systemd;

import io.causeway.tun.nativeio.Errno;
import io.causeway.tun.nativeio.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import jnr.ffi.Pointer;

/**
 * The service manager's end of sd_notify for tests: a Unix datagram socket bound where
 * $NOTIFY_SOCKET points. A datagram is queued here once the sender's sendto returned.
 */
public final class NotifyListener implements AutoCloseable {
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MAX_DATAGRAM = 4096;

    private final String address;
    private final int fd;
    private final Pointer buffer = LibC.allocate(MAX_DATAGRAM);

    private NotifyListener(String address, int fd) {
        this.address = address;
        this.fd = fd;
    }

    /** Binds {@code address}: a path, or '@' and a name in the abstract namespace. */
    public static NotifyListener bind(String address) {
        byte[] sockaddr = NotifySocketAddress.encode(address).orElseThrow(
                () -> new IllegalArgumentException("not a notify socket address: " + address));
        int fd = LibC.INSTANCE.socket(NotifySocketAddress.AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0) throw new IllegalStateException("socket: " + Errno.text(Errno.last()));
        Pointer p = LibC.allocate(sockaddr.length);
        p.put(0, sockaddr, 0, sockaddr.length);
        if (LibC.INSTANCE.bind(fd, p, sockaddr.length) < 0) {
            int err = Errno.last();
            LibC.INSTANCE.close(fd);
            throw new IllegalStateException("bind " + address + ": " + Errno.text(err));
        }
        return new NotifyListener(address, fd);
    }

    /** Lets any user send here, as systemd's own notify socket does (a service runs as its own user). */
    public NotifyListener openToEveryone() throws IOException {
        Files.setPosixFilePermissions(Path.of(address), PosixFilePermissions.fromString("rw-rw-rw-"));
        return this;
    }

    public String address() {
        return address;
    }

    /** The next queued datagram, or empty when none is queued; never blocks. */
    public Optional<String> receive() {
        long n = LibC.INSTANCE.recv(fd, buffer, MAX_DATAGRAM, MSG_DONTWAIT);
        if (n < 0) {
            int err = Errno.last();
            if (err == Errno.EAGAIN) return Optional.empty();
            throw new IllegalStateException("recv: " + Errno.text(err));
        }
        byte[] bytes = new byte[(int) n];
        buffer.get(0, bytes, 0, bytes.length);
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        LibC.INSTANCE.close(fd);
        if (!address.startsWith("@")) Files.deleteIfExists(Path.of(address));
    }
}
