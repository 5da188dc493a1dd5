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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * The daemon's end of the control socket: a Unix domain socket where each connection sends one
  * JSON request line and reads one JSON response line. A bad request gets an error response; it
  * never takes the daemon down.
  */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

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

    public static ControlServer start(Path path, Handler handler) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.deleteIfExists(path); // a stale socket left by a killed daemon
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        ControlServer control = new ControlServer(path, server, handler);
        control.thread.start();
        return control;
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
