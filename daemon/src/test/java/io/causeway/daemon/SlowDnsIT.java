package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.daemon.testing.LabRequirements;
import io.causeway.lab.Netns;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.Topology;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A peer name whose DNS answer takes 10 s does not stall IKE for the other tunnels. West (Causeway) has two
 * connections to east (Causeway): s2s to east's address, rekeying every 2 s, and slow to {@value #SLOW_NAME}, which
 * only a DNS server in west's namespace knows and which answers after {@value #DNS_DELAY_SECONDS} s
 * (`ip netns exec` gives west's processes /etc/netns/NAME/resolv.conf as their /etc/resolv.conf). s2s must come up
 * and rekey while that lookup hangs; slow fails its first attempt on the resolver's 5 s timeout and comes up on its
 * retry, from the answer that arrived meanwhile.
 */
class SlowDnsIT {
    private static final String SLOW_NAME = "east.slow.test";
    private static final int DNS_DELAY_SECONDS = 10;

    private final String prefix = RunPrefix.next();
    private Path dir;
    private Path netnsEtc;
    private Process dns;

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
        LabRequirements.tools("python3");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dns != null) {
            dns.destroyForcibly();
            dns.waitFor();
        }
        if (netnsEtc != null) LabGateway.deleteRecursively(netnsEtc);
        if (dir != null) LabGateway.deleteRecursively(dir);
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    @Test
    void aTenSecondLookupHoldsUpNoOtherTunnel() throws Exception {
        dir = Files.createDirectories(RunPrefix.workDir(prefix, "slow-dns"));
        try (Topology t = Topology.create(prefix, false)) {
            Path dnsLog = startSlowDns(t.west(), t.eastOuterV4());
            Conn s2s = Conn.westToEast(t).set("lifetime", "4s").set("margintime", "2s").set("rekeyfuzz", "0%");
            Conn slow = Conn.named("slow").set("left", t.westOuterV4()).set("leftid", "west-slow.example")
                    .set("leftsubnet", "10.1.9.0/24").set("right", SLOW_NAME).set("rightid", "east-slow.example")
                    .set("rightsubnet", "10.2.9.0/24").set("auto", "start");
            Conn eastSlow = Conn.named("slow").set("left", t.eastOuterV4()).set("leftid", "east-slow.example")
                    .set("leftsubnet", "10.2.9.0/24").set("right", "%any").set("rightid", "west-slow.example")
                    .set("rightsubnet", "10.1.9.0/24").set("auto", "add");
            try (LabGateway east = LabGateway.start(t.east(), prefix, List.of(Conn.eastFromAnywhere(t), eastSlow));
                    LabGateway west = LabGateway.start(t.west(), prefix, List.of(s2s, slow))) {
                west.awaitState("s2s", "CONNECTED");
                // two rekeys of s2s while slow's lookup still hangs in DNS
                Set<Object> spis = new HashSet<>();
                boolean rekeyed = Poll.until(Duration.ofSeconds(DNS_DELAY_SECONDS), Duration.ofMillis(100), () -> {
                    try {
                        for (Map<String, Object> c : LabGateway.children(west.tunnel("s2s"))) spis.add(c.get("spi_in"));
                        return spis.size() >= 3 && !answered(dnsLog);
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(rekeyed).as("s2s CHILD_SAs %s seen before the DNS answer (%s)%n--- west ---%n%s", spis,
                        read(dnsLog), west.log()).isTrue();
                assertThat(answered(dnsLog)).as("the lookup was still hanging: %s", read(dnsLog)).isFalse();
                assertThat(west.tunnel("slow").get("state")).isNotEqualTo("CONNECTED");

                assertThat(awaitSlow(west)).containsEntry("remote", t.eastOuterV4());
                assertThat(west.log()).contains("cannot resolve " + SLOW_NAME + ": no answer within 5 s");
            }
        }
    }

    private static Map<String, Object> awaitSlow(LabGateway west) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] seen = new Map[1];
        boolean up = Poll.until(Duration.ofSeconds(45), Duration.ofMillis(200), () -> {
            try {
                seen[0] = west.tunnel("slow");
                return "CONNECTED".equals(seen[0].get("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(up).as("slow CONNECTED after its retry; last %s%n--- west ---%n%s", seen[0], west.log()).isTrue();
        return seen[0];
    }

    private static boolean answered(Path dnsLog) {
        return read(dnsLog).contains("answered " + SLOW_NAME + " type 1");
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The DNS server in west and west's resolv.conf pointing at it, one try with room for the delay. */
    private Path startSlowDns(Netns west, String answer) throws Exception {
        netnsEtc = Path.of("/etc/netns", west.name());
        Files.createDirectories(netnsEtc);
        Files.writeString(netnsEtc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:30 attempts:1\n");
        Path script = dir.resolve("slow-dns.py");
        try (InputStream in = SlowDnsIT.class.getResourceAsStream("/dns/slow-dns.py")) {
            Files.copy(in, script);
        }
        Path log = dir.resolve("dns.log");
        west.ip("link", "set", "lo", "up");
        dns = west.spawn(log, "python3", script.toString(), SLOW_NAME, answer, Integer.toString(DNS_DELAY_SECONDS));
        boolean listening = Poll.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> read(log).contains("listening"));
        assertThat(listening).as("the DNS server started: %s", read(log)).isTrue();
        return log;
    }
}
