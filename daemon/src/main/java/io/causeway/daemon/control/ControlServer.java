package io.causeway.daemon.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
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
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * The daemon's end of the control socket: a Unix domain socket where each connection sends one
  * JSON request line and reads one JSON response line. A bad request gets an error response; it
  * never takes the daemon down.
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

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;

    private ControlServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.thread = new Thread(() -> serve(handler), "control");
        this.thread.setDaemon(true);
    }

    /** Serves {@code path}, mode 0660, group {@value #SOCKET_GROUP} when this host has that group. */
    public static ControlServer start(Path path, Handler handler) throws IOException {
        return start(path, handler, SOCKET_GROUP);
    }

    static ControlServer start(Path path, Handler handler, String group) throws IOException {
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
        ControlServer control = new ControlServer(path, server, handler);
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

    private static void answer(SocketChannel client, Handler handler) throws IOException {
        BufferedReader in = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) return;
        Map<String, Object> response;
        try {
            response = handler.handle(Json.parseObject(line));
        } catch (RuntimeException e) {
            response = Map.of("ok", false, "error", String.valueOf(e.getMessage()));
        }
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
