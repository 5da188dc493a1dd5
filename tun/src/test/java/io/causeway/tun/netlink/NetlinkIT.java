package io.causeway.tun.netlink;

import static io.causeway.tun.netns.NetworkNamespace.isolated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.tun.TunDevice;
import io.causeway.tun.testing.Root;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetlinkIT {

    @BeforeEach
    void needsRoot() {
        Root.assumeRootWithTun();
    }

    @Test
    void setsAndReadsTheMtu() throws Exception {
        withTun((tun, netlink) -> {
            netlink.setMtu("cw0", 1380);
            assertThat(netlink.mtu("cw0")).isEqualTo(1380);
            assertThat(netlink.linkIndex("cw0")).isEqualTo(netlink.linkIndex("cw0")).isPositive();
        });
    }

    @Test
    void addsAndDeletesIpv4RoutesAndLooksThemUp() throws Exception {
        withTun((tun, netlink) -> {
            InetAddress local = ip("10.9.0.1");
            netlink.addAddress("cw0", local, 24);
            netlink.setLinkUp("cw0");
            int index = netlink.linkIndex("cw0");
            InetAddress remoteNet = ip("10.77.0.0");

            netlink.addRoute(remoteNet, 16, "cw0", local, 1400);
            assertThat(netlink.routes(Netlink.AF_INET))
                    .contains(new Route(remoteNet, 16, index, null, local))
                    .contains(new Route(ip("10.9.0.0"), 24, index, null, local)); // the prefix route of the address

            RouteLookup lookup = netlink.routeGet(ip("10.77.1.2")).orElseThrow();
            assertThat(lookup).isEqualTo(new RouteLookup(index, local, null, 1400));

            assertThatThrownBy(() -> netlink.addRoute(remoteNet, 16, "cw0", local, 1400))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessage("add route 10.77.0.0/16 dev cw0: File exists");

            netlink.deleteRoute(remoteNet, 16, "cw0");
            assertThat(netlink.routes(Netlink.AF_INET)).extracting(Route::dst).doesNotContain(remoteNet);
            assertThat(netlink.routeGet(ip("10.77.1.2"))).isEmpty(); // no default route here
            assertThatThrownBy(() -> netlink.deleteRoute(remoteNet, 16, "cw0"))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageStartingWith("delete route 10.77.0.0/16 dev cw0: No such process");
        });
    }

    @Test
    void addsIpv6AddressesAndRoutes() throws Exception {
        withTun((tun, netlink) -> {
            InetAddress local = ip("fd00:9::1");
            netlink.setLinkUp("cw0");
            netlink.addAddress("cw0", local, 64);
            int index = netlink.linkIndex("cw0");

            netlink.addRoute(ip("fd00:77::"), 64, "cw0", null, 0);
            assertThat(netlink.routes(Netlink.AF_INET6))
                    .contains(new Route(ip("fd00:77::"), 64, index, null, null));
            // NODAD: the address is usable as a source at once, not "tentative".
            RouteLookup lookup = netlink.routeGet(ip("fd00:77::5")).orElseThrow();
            assertThat(lookup.ifindex()).isEqualTo(index);
            assertThat(lookup.source()).isEqualTo(local);
            assertThat(lookup.mtu()).isEqualTo(netlink.mtu("cw0"));

            netlink.deleteRoute(ip("fd00:77::"), 64, "cw0");
            assertThat(netlink.routes(Netlink.AF_INET6)).extracting(Route::dst).doesNotContain(ip("fd00:77::"));
        });
    }

    @Test
    void markRuleSendsUnmarkedTrafficToItsTableAndMarkedTrafficToMain() throws Exception {
        withTun((tun, netlink) -> {
            netlink.setLinkUp("lo");
            netlink.setLinkUp("cw0");
            int tunIndex = netlink.linkIndex("cw0");
            int loIndex = netlink.linkIndex("lo");
            InetAddress peer = ip("10.77.1.2");
            netlink.addRoute(ip("10.77.0.0"), 16, "lo", null, 0);          // the "real" path, main table
            netlink.addRoute(peer, 32, "cw0", null, 0, 4500);              // the tunnel's table
            assertThat(netlink.routes(Netlink.AF_INET, 4500)).containsExactly(new Route(peer, 32, tunIndex, null, null));
            assertThat(netlink.routes(Netlink.AF_INET)).extracting(Route::dst).doesNotContain(peer);

            MarkRule rule = new MarkRule(Netlink.AF_INET, 32765, 4500, true, 4500);
            assertThat(netlink.routeGet(peer).orElseThrow().ifindex()).isEqualTo(loIndex); // no rule yet
            netlink.addRule(rule);
            assertThat(netlink.markRules(Netlink.AF_INET)).containsExactly(rule);
            assertThat(netlink.markRules(Netlink.AF_INET6)).isEmpty();
            assertThat(netlink.routeGet(peer).orElseThrow().ifindex()).isEqualTo(tunIndex);
            assertThat(netlink.routeGet(peer, 4500).orElseThrow().ifindex()).isEqualTo(loIndex);
            assertThat(netlink.routeGet(peer, 4501).orElseThrow().ifindex()).isEqualTo(tunIndex);
            assertThatThrownBy(() -> netlink.addRule(rule))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageStartingWith("add -4 rule not fwmark 0x1194 lookup 4500 pref 32765: File exists");

            netlink.deleteRule(rule);
            assertThat(netlink.markRules(Netlink.AF_INET)).isEmpty();
            assertThat(netlink.routeGet(peer).orElseThrow().ifindex()).isEqualTo(loIndex);
            assertThatThrownBy(() -> netlink.deleteRule(rule))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageStartingWith("delete -4 rule not fwmark 0x1194 lookup 4500 pref 32765: No such file");
            netlink.deleteRoute(peer, 32, "cw0", 4500);
            assertThat(netlink.routes(Netlink.AF_INET, 4500)).isEmpty();
        });
    }

    @Test
    void ipv6MarkRulesAreTheirOwnFamily() throws Exception {
        withTun((tun, netlink) -> {
            MarkRule rule = new MarkRule(Netlink.AF_INET6, 32765, 0xca5e, true, 4500);
            netlink.addRule(rule);
            assertThat(netlink.markRules(Netlink.AF_INET6)).containsExactly(rule);
            assertThat(netlink.markRules(Netlink.AF_INET)).isEmpty();
            netlink.deleteRule(rule);
            assertThat(netlink.markRules(Netlink.AF_INET6)).isEmpty();
        });
    }

    @Test
    void errorsNameTheOperationAndTheKernelsReason() throws Exception {
        withTun((tun, netlink) -> {
            assertThatThrownBy(() -> netlink.linkIndex("nosuch0"))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessage("link nosuch0: No such device");
            assertThatThrownBy(() -> netlink.addRoute(ip("10.1.0.0"), 24, "nosuch0", null, 0))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessage("add route 10.1.0.0/24 dev nosuch0: No such device");
            // Host bits set: the kernel explains through the extended ACK.
            assertThatThrownBy(() -> netlink.addRoute(ip("10.1.0.1"), 24, "cw0", null, 0))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessage("add route 10.1.0.1/24 dev cw0: Invalid argument (Invalid prefix for given prefix length)");
            netlink.addAddress("cw0", ip("10.9.0.1"), 24);
            assertThatThrownBy(() -> netlink.addAddress("cw0", ip("10.9.0.1"), 24))
                    .isInstanceOf(NetlinkException.class)
                    // newer kernels append "(ipv4: Address already assigned)" via the extended ACK
                    .hasMessageStartingWith("add address 10.9.0.1/24 dev cw0: File exists");
        });
    }

    @Test
    void aHandleKeepsItsNamespaceWhicheverThreadUsesIt() throws Exception {
        Netlink inside = isolated(() -> {
            Netlink netlink = Netlink.open();
            TunDevice.open("cwns0").close();
            return netlink;
        });
        try (inside) {
            // The thread that opened it is gone; the handle still sees that namespace (only lo).
            assertThat(inside.linkIndex("lo")).isEqualTo(1);
            assertThatThrownBy(() -> inside.linkIndex("cwns0")).isInstanceOf(NetlinkException.class);
        }
    }

    interface TunTest {
        void run(TunDevice tun, Netlink netlink) throws Exception;
    }

    private static void withTun(TunTest test) throws Exception {
        isolated((Callable<Void>) () -> {
            try (TunDevice tun = TunDevice.open("cw0"); Netlink netlink = Netlink.open()) {
                test.run(tun, netlink);
            }
            return null;
        });
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
