package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import io.causeway.conf.connection.Connection;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which local address each connection gets, and the distinct ones the data plane binds. */
class LocalAddressesTest {
    @TempDir
    Path dir;

    /** Routes of a host with 192.0.2.1 and 192.0.2.11: 198.51.100.0/24 leaves from .11, everything else from .1. */
    private final List<InetAddress> asked = new ArrayList<>();
    private final Function<InetAddress, Optional<InetAddress>> routes = peer -> {
        asked.add(peer);
        if (peer.getHostAddress().startsWith("203.0.113.")) return Optional.empty(); // no route
        return Optional.of(ip(peer.getHostAddress().startsWith("198.51.100.") ? "192.0.2.11" : "192.0.2.1"));
    };

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private List<Connection> load(String... conns) throws Exception {
        StringBuilder conf = new StringBuilder();
        StringBuilder secrets = new StringBuilder();
        for (String c : conns) {
            String[] f = c.split(" "); // name left right
            conf.append("conn ").append(f[0]).append("\n    keyexchange=ikev2\n    authby=psk\n    left=").append(f[1])
                    .append("\n    leftid=").append(f[0]).append(".local\n    right=").append(f[2])
                    .append("\n    rightid=").append(f[0]).append(".remote\n    auto=add\n");
            secrets.append(f[0]).append(".local ").append(f[0]).append(".remote : PSK \"not-a-real-key-for-").append(f[0])
                    .append("\"\n");
        }
        LoadResult loaded = ConfigLoader.load(Files.writeString(dir.resolve("ipsec.conf"), conf),
                Files.writeString(dir.resolve("ipsec.secrets"), secrets));
        assertThat(loaded.ok()).as("%s", loaded.errors()).isTrue();
        return loaded.config().connections();
    }

    @Test
    void aSingleConnectionGetsItsLeft() throws Exception {
        List<Connection> conns = load("one 192.0.2.1 192.0.2.2");
        Map<String, InetAddress> locals = LocalAddresses.of(conns, LocalAddressesTest::literalPeer, routes);
        assertThat(locals).containsExactly(Map.entry("one", ip("192.0.2.1")));
        assertThat(LocalAddresses.distinct(conns, locals)).containsExactly(ip("192.0.2.1"));
        assertThat(asked).as("a literal left needs no route lookup").isEmpty();
    }

    @Test
    void eachDistinctLeftIsBoundOnceInConfigurationOrder() throws Exception {
        List<Connection> conns = load("b 192.0.2.11 198.51.100.7", "a 192.0.2.1 192.0.2.2", "c 192.0.2.11 192.0.2.3");
        Map<String, InetAddress> locals = LocalAddresses.of(conns, LocalAddressesTest::literalPeer, routes);
        assertThat(locals).containsEntry("b", ip("192.0.2.11")).containsEntry("a", ip("192.0.2.1"))
                .containsEntry("c", ip("192.0.2.11"));
        assertThat(LocalAddresses.distinct(conns, locals)).containsExactly(ip("192.0.2.11"), ip("192.0.2.1"));
    }

    @Test
    void withoutALeftAddressTheRouteSourceTowardsThePeerIsUsed() throws Exception {
        List<Connection> conns = load("dr %defaultroute 198.51.100.7", "any %any 192.0.2.2", "lit 192.0.2.1 192.0.2.3",
                "nopeer %any %any", "noroute %defaultroute 203.0.113.9");
        Map<String, InetAddress> locals = LocalAddresses.of(conns, LocalAddressesTest::literalPeer, routes);
        assertThat(locals).containsEntry("dr", ip("192.0.2.11")).containsEntry("any", ip("192.0.2.1"))
                .containsEntry("lit", ip("192.0.2.1"))
                .as("right=%any: only answers, on whichever address the peer reaches").doesNotContainKey("nopeer")
                .doesNotContainKey("noroute");
        // literal lefts first, as the single-address daemon took the first left before any route source
        assertThat(LocalAddresses.distinct(conns, locals)).containsExactly(ip("192.0.2.1"), ip("192.0.2.11"));
    }

    @Test
    void connectionsThatOnlyAnswerGiveNoAddress() throws Exception {
        List<Connection> conns = load("nopeer %any %any");
        assertThat(LocalAddresses.distinct(conns, LocalAddresses.of(conns, LocalAddressesTest::literalPeer, routes))).isEmpty();
    }

    private static java.util.Optional<InetAddress> literalPeer(Connection c) {
        return c.right().anyAddress() ? java.util.Optional.empty() : c.right().address();
    }
}
