package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Subnet;
import io.causeway.esp.EspMode;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import io.causeway.ike.sa.ChildSaInstall;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which CHILD_SAs route the peer's own address through the policy table, and for how long. */
class PeerHostRoutesTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(ip("192.0.2.1"), 4500);
    private static final InetSocketAddress PEER = new InetSocketAddress(ip("192.0.2.2"), 4500);

    /** What the routes were asked to do, in order. */
    private final List<String> calls = new ArrayList<>();
    private final PeerHostRoutes routes = new PeerHostRoutes(new PeerHostRoutes.Routing() {
        @Override
        public void add(InetAddress local, InetAddress peer) {
            calls.add("add " + local.getHostAddress() + " " + peer.getHostAddress());
        }

        @Override
        public void remove(InetAddress peer) {
            calls.add("remove " + peer.getHostAddress());
        }

        @Override
        public void close() {
            calls.add("close");
        }
    });

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ChildSaInstall child(int inboundSpi, EspMode mode, String... remote) {
        SaKeys keys = new SaKeys(new byte[20], new byte[0]);
        return new ChildSaInstall("host", inboundSpi, inboundSpi + 1, EspSuite.aesGcm(128, 16), keys, keys, false,
                List.of(Subnet.parse("192.0.2.1/32")), java.util.Arrays.stream(remote).map(Subnet::parse).toList(), mode,
                true, LOCAL, PEER, null);
    }

    @Test
    void aTransportSaRoutesThePeerUntilTheLastSaToItGoes() {
        ChildSaInstall first = child(0xc0000001, EspMode.TRANSPORT, "192.0.2.2/32");
        ChildSaInstall rekeyed = child(0xc0000003, EspMode.TRANSPORT, "192.0.2.2/32");

        routes.installed(first);
        routes.installed(rekeyed); // make before break: both installed for a moment
        routes.removed(first.inboundSpi());
        assertThat(routes.routes(PEER.getAddress())).isTrue();
        routes.removed(rekeyed.inboundSpi());
        routes.removed(rekeyed.inboundSpi()); // a second removal changes nothing

        assertThat(calls).containsExactly("add 192.0.2.1 192.0.2.2", "add 192.0.2.1 192.0.2.2", "remove 192.0.2.2",
                "remove 192.0.2.2");
        assertThat(routes.routes(PEER.getAddress())).isFalse();
    }

    @Test
    void subnetsStayInTheMainTableAndOnlyThePeerHostIsTakenOut() {
        ChildSaInstall subnets = child(0xc0000001, EspMode.TUNNEL, "10.2.0.0/24");
        ChildSaInstall hostToHost = child(0xc0000003, EspMode.TUNNEL, "192.0.2.2/32", "10.2.0.0/24");

        routes.installed(subnets);
        routes.installed(hostToHost);

        assertThat(PeerHostRoutes.otherThanPeer(subnets)).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(PeerHostRoutes.otherThanPeer(hostToHost)).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(PeerHostRoutes.otherThanPeer(child(1, EspMode.TRANSPORT, "192.0.2.2/32"))).isEmpty();
        assertThat(calls).containsExactly("add 192.0.2.1 192.0.2.2");
        // a wider prefix holding the peer is a subnet like any other
        assertThat(PeerHostRoutes.isPeerHost(Subnet.parse("192.0.2.0/24"), PEER.getAddress())).isFalse();
        assertThat(PeerHostRoutes.isPeerHost(Subnet.parse("2001:db8::2/128"), ip("2001:db8::2"))).isTrue();
    }

    @Test
    void closeRemovesEverythingAndNothingIsAddedAfterwards() {
        routes.installed(child(0xc0000001, EspMode.TRANSPORT, "192.0.2.2/32"));
        routes.close();
        routes.installed(child(0xc0000003, EspMode.TRANSPORT, "192.0.2.2/32"));
        routes.removed(0xc0000001);

        assertThat(calls).containsExactly("add 192.0.2.1 192.0.2.2", "close");
    }

    @Test
    void aRouteThatCannotBeAddedIsNotRemovedLater() {
        PeerHostRoutes failing = new PeerHostRoutes(new PeerHostRoutes.Routing() {
            @Override
            public void add(InetAddress local, InetAddress peer) {
                throw new IllegalStateException("netlink says no");
            }

            @Override
            public void remove(InetAddress peer) {
                calls.add("remove");
            }

            @Override
            public void close() {
            }
        });
        failing.installed(child(0xc0000001, EspMode.TRANSPORT, "192.0.2.2/32"));
        failing.removed(0xc0000001);

        assertThat(calls).isEmpty();
        assertThat(failing.routes(PEER.getAddress())).isFalse();
    }
}
