package io.causeway.daemon;

import static io.causeway.daemon.LabGateway.children;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanSas;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Causeway killed with SIGKILL, as a crash or the OOM killer would end it, and started again on the same files (as
 * systemd's Restart= would): nothing the dead process left (its control socket file, rules, routes) blocks the
 * start, the tunnel is back in seconds, and strongSwan replaces the SAs it still holds for us because our new
 * IKE_AUTH carries INITIAL_CONTACT (RFC 7296 2.4).
 */
class CrashRestartIT extends StrongSwanTestBase {
    /** charon's log line for our IKE_AUTH request with N(INITIAL_CONTACT). */
    private static final Pattern RECEIVED_INITIAL_CONTACT =
            Pattern.compile("parsed IKE_AUTH request 1 \\[ [^\\]]*N\\(INIT_CONTACT\\)");

    @Test
    void killedCausewayComesBackAndReplacesThePeersStaleSas() throws Exception {
        try (Topology t = Topology.create(prefix, false);
                StrongSwan east = StrongSwan.startAndLoad(t.east(), SwanctlConf.eastResponder(t).build())) {
            String rulesBefore = rules(t.west());
            List<String> linksBefore = links(t.west());
            LabGateway west = LabGateway.start(t.west(), prefix, Conn.westToEast(t)
                    .set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!"));
            try {
                west.awaitState("CONNECTED");
                assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), LabGateway.DEADLINE))
                        .as(west.log()).isTrue();
                SwanSas.IkeSa stale = east.sas().ikeSas().get(0);
                List<String> staleInbound = IkeLifecycleIT.swanInboundSpis(east.listSas());

                long killed = System.nanoTime();
                west.kill();
                // the kernel takes the TUN device with the last descriptor, and its routes with it; the socket file
                // stays, and so would any rule the daemon had added
                assertThat(links(t.west())).as("interfaces after SIGKILL").isEqualTo(linksBefore);
                assertThat(Files.exists(west.workDir().resolve("control.sock"))).as("the dead daemon's socket file")
                        .isTrue();
                assertThat(east.sas().ikeSas()).as("strongSwan still holds the dead daemon's IKE SA").hasSize(1);

                try (LabGateway again = west.restart()) {
                    Map<String, Object> back = again.awaitState("CONNECTED");
                    double toConnected = secondsSince(killed);
                    assertThat(Ping.awaitReply(t.west(), t.westHostV4(), t.eastHostV4(), LabGateway.DEADLINE))
                            .as(again.log()).isTrue();
                    double toPing = secondsSince(killed);
                    String ourOut = (String) children(back).get(0).get("spi_out");
                    boolean replaced = Poll.until(LabGateway.DEADLINE, () -> {
                        SwanSas sas = east.sas();
                        return sas.ikeSas().size() == 1 && sas.ikeSas().get(0).uniqueId() != stale.uniqueId()
                                && IkeLifecycleIT.swanInboundSpis(east.listSas()).equals(List.of(ourOut));
                    });
                    assertThat(replaced).as("strongSwan holds only the new IKE SA and CHILD_SA (stale inbound %s)%n%s",
                            staleInbound, east.listSas()).isTrue();
                    assertThat(east.log()).as("our IKE_AUTH after the restart").containsPattern(RECEIVED_INITIAL_CONTACT);
                    Ping.Result ping = Ping.run(t.west(), t.westHostV4(), t.eastHostV4(), 10, Duration.ofMillis(50),
                            Duration.ofSeconds(10));
                    assertThat(ping.allReceived()).as("%s%n%s", ping, again.log()).isTrue();
                    System.out.printf(Locale.ROOT, "CrashRestartIT: SIGKILL to CONNECTED again %.1f s, to the first "
                            + "ping reply %.1f s (JVM start included)%n", toConnected, toPing);
                }
                assertThat(rules(t.west())).as("policy rules after the restarted daemon stopped").isEqualTo(rulesBefore);
                assertThat(links(t.west())).as("interfaces after the restarted daemon stopped").isEqualTo(linksBefore);
            } finally {
                west.close();
            }
        }
    }

    private static String rules(Netns ns) {
        return ns.ip("rule", "show").stdout() + ns.ip("-6", "rule", "show").stdout();
    }

    /** Interface names in the namespace, sorted. */
    private static List<String> links(Netns ns) {
        return ns.ip("-o", "link", "show").stdout().lines()
                .map(line -> line.split(":\\s+")[1].split("@")[0]).sorted().toList();
    }

    private static double secondsSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }
}
