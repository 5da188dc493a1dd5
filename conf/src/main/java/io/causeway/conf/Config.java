package io.causeway.conf;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.secrets.Secrets;
import java.util.List;
import java.util.Optional;

/** A loaded ipsec.conf with its secrets. Connections are in file order, auto=ignore ones included. */
public final class Config {
    private final SetupSection setup;
    private final List<Connection> connections;
    private final Secrets secrets;

    public Config(SetupSection setup, List<Connection> connections, Secrets secrets) {
        this.setup = setup;
        this.connections = List.copyOf(connections);
        this.secrets = secrets;
    }

    public SetupSection setup() {
        return setup;
    }

    public List<Connection> connections() {
        return connections;
    }

    /** The connections the daemon should load: those not marked auto=ignore. */
    public List<Connection> activeConnections() {
        return connections.stream().filter(c -> !c.ignored()).toList();
    }

    public Optional<Connection> connection(String name) {
        return connections.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Secrets secrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "Config[" + connections.size() + " connections, " + secrets + "]";
    }
}
