package io.causeway.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads the one request line of a control connection with a size limit and a deadline: the server answers one
 * connection at a time, so a client that sends an endless line, or nothing, must not hold it (or its memory).
 */
final class RequestLine {
    /** Far above any request the CLI sends (the longest is a reload's, well under 1 KiB). */
    static final int MAX_BYTES = 64 * 1024;
    static final Duration DEADLINE = Duration.ofSeconds(5);

    /** Why a request was not read; its message is the error response. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private RequestLine() {
    }

    /** The first line without its line end; null if the client closed without sending anything. */
    static String read(SocketChannel client, int maxBytes, Duration deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        long end = System.nanoTime() + deadline.toNanos();
        client.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            client.register(selector, SelectionKey.OP_READ);
            while (true) {
                long leftMillis = (end - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) throw new Refused("no complete request line within " + deadline.toSeconds() + " s");
                selector.select(leftMillis);
                selector.selectedKeys().clear();
                chunk.clear();
                int n = client.read(chunk);
                if (n < 0) return line.size() == 0 ? null : text(line);
                for (int i = 0; i < n; i++) {
                    byte b = chunk.get(i);
                    if (b == '\n') return text(line);
                    if (line.size() >= maxBytes) throw new Refused("request longer than " + maxBytes + " bytes");
                    line.write(b);
                }
            }
        } finally {
            client.configureBlocking(true); // the selector is closed by now, so the channel is free of it
        }
    }

    private static String text(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
