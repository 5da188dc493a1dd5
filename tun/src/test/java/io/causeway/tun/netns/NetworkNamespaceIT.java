package io.causeway.tun.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.tun.OsException;
import io.causeway.tun.TunDevice;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.netlink.NetlinkException;
import io.causeway.tun.testing.Root;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkNamespaceIT {

    @BeforeEach
    void needsRoot() {
        Root.assumeRootWithTun();
    }

    @Test
    void isolatedCodeDoesNotTouchTheCallersNamespace() throws Exception {
        String name = NetworkNamespace.isolated(() -> {
            try (TunDevice tun = TunDevice.open("cwiso%d")) {
                return tun.name();
            }
        });
        try (Netlink here = Netlink.open()) {
            assertThatThrownBy(() -> here.linkIndex(name)).isInstanceOf(NetlinkException.class);
        }
    }

    @Test
    void failuresInsideReachTheCallerAsTheyAre() {
        assertThatThrownBy(() -> NetworkNamespace.isolated(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void entersANamedNamespace() throws Exception {
        String netns = "cw-it-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", netns);
        try {
            run("ip", "-n", netns, "tuntap", "add", "dev", "cwnamed", "mode", "tun");
            int index = NetworkNamespace.in(netns, () -> {
                try (Netlink netlink = Netlink.open()) {
                    return netlink.linkIndex("cwnamed");
                }
            });
            assertThat(index).isPositive();
        } finally {
            run("ip", "netns", "del", netns);
        }
        assertThatThrownBy(() -> NetworkNamespace.in(netns, () -> null))
                .isInstanceOf(OsException.class)
                .hasMessage("cannot open network namespace " + netns + " (/var/run/netns/" + netns
                        + "): No such file or directory");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }
}
