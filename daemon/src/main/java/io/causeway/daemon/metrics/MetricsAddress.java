package io.causeway.daemon.metrics;

/** Where the metrics endpoint listens: {@code HOST:PORT}, an IPv6 host in brackets ({@code [::1]:9813}). */
public record MetricsAddress(String host, int port) {
    public static final int DEFAULT_PORT = 9813;

    /** Parses {@code HOST:PORT}; throws IllegalArgumentException naming what is wrong. */
    public static MetricsAddress parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("metrics address must be HOST:PORT, e.g. 127.0.0.1:" + DEFAULT_PORT);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) {
            throw new IllegalArgumentException("metrics address: put an IPv6 host in brackets, e.g. [::1]:" + DEFAULT_PORT);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics address: port must be a number, got " + s.substring(colon + 1));
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("metrics address must be HOST:PORT with a port from 1 to 65535");
        }
        return new MetricsAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
