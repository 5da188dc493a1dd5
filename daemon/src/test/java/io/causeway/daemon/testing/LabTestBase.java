package io.causeway.daemon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.RunPrefix;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
  * Common ground of the data plane's namespace tests: skip unless the lab can run, a unique run
  * prefix per test, and afterwards the check that no namespace of that prefix is left (whatever
  * is left is deleted, and the test fails).
  */
public abstract class LabTestBase {
    /** Every tool the data plane tests run. */
    private static final String[] TOOLS = {"ip", "ping", "tcpdump", "tshark", "iperf3", "nft"};
    protected static final Duration TUNNEL_UP = Duration.ofSeconds(15);
    protected static final Duration COUNTER_DEADLINE = Duration.ofSeconds(10);

    protected final String prefix = RunPrefix.next();
    protected CausewayLauncher launcher;
    private boolean labCreated;

    @BeforeEach
    void requireLab() {
        launcher = TunnelLab.requireLab(TOOLS);
    }

    protected TunnelLab createLab(boolean withNat) {
        labCreated = true;
        return TunnelLab.create(prefix, withNat);
    }

    @AfterEach
    void noNamespaceLeft() {
        if (!labCreated) {
            return;
        }
        List<String> left = Netns.deleteAll(prefix);
        assertThat(left).as("namespaces of %s left behind", prefix).isEmpty();
        assertThat(Netns.list()).noneMatch(name -> name.startsWith(prefix));
    }

    /** Waits for a first reply (the tunnel is up), then asserts that 3 of 3 pings come back. */
    protected static void assertPings(TunnelLab lab, Netns from, String source, String destination) {
        assertThat(Ping.awaitReply(from, source, destination, TUNNEL_UP))
                .as("no reply %s -> %s within %s%s", source, destination, TUNNEL_UP, lab.logs()).isTrue();
        Ping.Result result = Ping.run(from, source, destination, 3);
        assertThat(result.allReceived()).as("%s -> %s: %s%s", source, destination, result, lab.logs()).isTrue();
    }
}
