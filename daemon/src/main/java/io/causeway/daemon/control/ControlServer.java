package io.causeway.daemon.control;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import jdk.net.UnixDomainPrincipal;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * The daemon's end of the control socket: a Unix domain socket where each connection sends one
  * JSON request line and reads one JSON response line. A bad request gets an error response; it
  * never takes the daemon down. Only root, the socket's owner and its group may send requests (SO_PEERCRED), a
  * request line is at most {@link RequestLine#MAX_BYTES} and must arrive within {@link RequestLine#DEADLINE}.
  */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** The group whose members may use the CLI without root; the package creates it. */
    public static final String SOCKET_GROUP = "causeway";
    /** Owner and group only: connecting to a Unix socket needs write permission on it (unix(7)). */
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw----");

    /** Answers one request; runs on the control server's thread. */
    public interface Handler {
        Map<String, Object> handle(Map<String, Object> request);
    }

    private static final Path ETC_GROUP = Path.of("/etc/group");

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final int maxRequestBytes;
    private final Duration requestDeadline;

    private ControlServer(Path path, ServerSocketChannel server, Handler handler, int maxRequestBytes,
                          Duration requestDeadline) {
        this.path = path;
        this.server = server;
        this.maxRequestBytes = maxRequestBytes;
        this.requestDeadline = requestDeadline;
        this.thread = new Thread(() -> serve(handler), "control");
        this.thread.setDaemon(true);
    }

    /** Serves {@code path}, mode 0660, group {@value #SOCKET_GROUP} when this host has that group. */
    public static ControlServer start(Path path, Handler handler) throws IOException {
        return start(path, handler, SOCKET_GROUP);
    }

    static ControlServer start(Path path, Handler handler, String group) throws IOException {
        return start(path, handler, group, RequestLine.MAX_BYTES, RequestLine.DEADLINE);
    }

    /** With the request limits of a test. */
    static ControlServer start(Path path, Handler handler, String group, int maxRequestBytes, Duration requestDeadline)
            throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.deleteIfExists(path); // a stale socket left by a killed daemon
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        try {
            Files.setPosixFilePermissions(path, SOCKET_MODE); // bind used the umask's mode
        } catch (IOException e) {
            server.close();
            throw e;
        }
        giveToGroup(path, group);
        ControlServer control = new ControlServer(path, server, handler, maxRequestBytes, requestDeadline);
        control.thread.start();
        return control;
    }

    /**
     * Under systemd the daemon runs as user and group causeway, so the socket has that group
     * already; a daemon started by root by hand hands it over too, so members can use the CLI.
     */
    private static void giveToGroup(Path path, String group) {
        try {
            GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(principal);
        } catch (UserPrincipalNotFoundException e) {
            log.debug("no group {} on this host: the control socket keeps the group {}", group, ownGroup(path));
        } catch (IOException e) { // not root and not a member of the group
            log.debug("cannot give the control socket to group {}: {}", group, e.getMessage());
        }
    }

    private static String ownGroup(Path path) {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class).group().getName();
        } catch (IOException e) {
            return "of its creator";
        }
    }

    private void serve(Handler handler) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                answer(client, handler);
            } catch (IOException e) {
                if (server.isOpen()) log.debug("control connection failed: {}", e.getMessage());
            }
        }
    }

    private void answer(SocketChannel client, Handler handler) throws IOException {
        Map<String, Object> response;
        try {
            String refused = refusal(client);
            if (refused != null) {
                respond(client, Map.of("ok", false, "error", refused));
                return;
            }
            String line = RequestLine.read(client, maxRequestBytes, requestDeadline);
            if (line == null) return;
            response = handler.handle(Json.parseObject(line));
        } catch (RequestLine.Refused e) {
            log.debug("control request refused: {}", e.getMessage());
            response = Map.of("ok", false, "error", e.getMessage());
        } catch (RuntimeException e) {
            response = Map.of("ok", false, "error", String.valueOf(e.getMessage()));
        }
        respond(client, response);
    }

    /** Null if the connecting process may send requests (SO_PEERCRED, {@link PeerCheck}), else why not. */
    private String refusal(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        PeerCheck check = PeerCheck.of(path, ETC_GROUP);
        if (check.allows(peer.user(), peer.group())) return null;
        log.info("control request from user {} refused: not root and not in group {}", peer.user().getName(),
                check.groupName());
        return "permission denied: user " + peer.user().getName() + " is not root and not in group " + check.groupName();
    }

    private static void respond(SocketChannel client, Map<String, Object> response) throws IOException {
        OutputStream out = Channels.newOutputStream(client);
        out.write((Json.write(response) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.getMessage());
        }
    }
}
