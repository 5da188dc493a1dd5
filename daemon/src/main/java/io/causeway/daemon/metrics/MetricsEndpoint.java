package io.causeway.daemon.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The HTTP endpoint Prometheus scrapes (GET /metrics), on the address the user chose; off unless asked for. */
public final class MetricsEndpoint implements AutoCloseable {
    private final HTTPServer server;

    private MetricsEndpoint(HTTPServer server) {
        this.server = server;
    }

    public static MetricsEndpoint start(MetricsAddress address, PrometheusRegistry registry) throws IOException {
        return new MetricsEndpoint(HTTPServer.builder().hostname(address.host()).port(address.port())
                .registry(registry).buildAndStart());
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
