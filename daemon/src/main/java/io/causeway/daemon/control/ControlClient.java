package io.causeway.daemon.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** The CLI's end of the control socket: one request, one response. */
public final class ControlClient {
    private ControlClient() {}

    /** Thrown when no daemon listens on the socket (exit code 2 in the CLI). */
    public static final class Unreachable extends Exception {
        public Unreachable(String message) {
            super(message);
        }
    }

    public static Map<String, Object> call(Path socket, Map<String, Object> request)
            throws Unreachable, IOException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new Unreachable("causeway daemon is not running (no control socket at " + socket + ")");
        }
        try (channel) {
            channel.write(ByteBuffer.wrap((Json.write(request) + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) throw new IOException("the daemon closed the control socket without answering");
            return Json.parseObject(line);
        }
    }
}
