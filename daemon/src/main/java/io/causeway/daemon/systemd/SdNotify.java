package io.causeway.daemon.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the service manager about start-up, status and shutdown (sd_notify(3)) when it asked
 * for that by setting $NOTIFY_SOCKET (Type=notify); otherwise every call does nothing. Failures
 * are logged, never thrown: the gateway runs the same whether systemd heard it or not.
 */
public final class SdNotify {
    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);

    private final String socket;
    private final byte[] address;

    private SdNotify(String socket, byte[] address) {
        this.socket = socket;
        this.address = address;
    }

    /** Notifies the socket named by $NOTIFY_SOCKET, or nobody when it is unset. */
    public static SdNotify fromEnvironment() {
        return to(System.getenv("NOTIFY_SOCKET"));
    }

    /** Notifies {@code notifySocket} (a path, or '@' and an abstract name); null means nobody. */
    public static SdNotify to(String notifySocket) {
        if (notifySocket == null || notifySocket.isEmpty()) return new SdNotify(null, null);
        Optional<byte[]> address = NotifySocketAddress.encode(notifySocket);
        if (address.isEmpty()) log.warn("NOTIFY_SOCKET={} is not a Unix socket this daemon can reach; "
                + "systemd will not hear that it is ready", notifySocket);
        return new SdNotify(notifySocket, address.orElse(null));
    }

    public boolean enabled() {
        return address != null;
    }

    public void ready(String status) {
        send(NotifyMessage.ready(status));
    }

    public void status(String status) {
        send(NotifyMessage.status(status));
    }

    public void stopping() {
        send(NotifyMessage.stopping());
    }

    private void send(String message) {
        if (address == null) return;
        try {
            UnixDatagram.send(address, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) { // RuntimeException: jnr-ffi could not load libc
            log.warn("cannot notify systemd at {}: {}", socket, e.getMessage());
        }
    }
}
