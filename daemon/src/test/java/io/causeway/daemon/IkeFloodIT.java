package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.LabGateway.Conn;
import io.causeway.daemon.testing.LabRequirements;
import io.causeway.lab.ExecResult;
import io.causeway.lab.JvmHeap;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RssSampler;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StrongSwan;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import io.causeway.tun.netns.NetworkNamespace;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * West (Causeway) holds a tunnel to east (Causeway) and answers two more connections from any address, while a
 * thread in east's namespace floods west with IKE_SA_INIT requests (fresh SPIs, a real KE) and garbage to 500 and
 * 4500 from {@value #SOURCES} addresses, as fast as it can. West must stay up in bounded memory, keep its half-open
 * SAs under the configured limit, demand cookies or drop the worst sources, pass the tunnel's pings, and let two
 * newcomers bring up new tunnels within {@link #NEW_TUNNEL_DEADLINE}, each timed against the same without the flood:
 * east (Causeway) over the flooded link, and strongSwan from a namespace of its own, which must get west's COOKIE
 * and come back with it (the flood's half-open SAs stay above the cookie threshold: they expire after 30 s, the
 * flood lasts {@link #FLOOD}).
 */
class IkeFloodIT {
    private static final int SOURCES = 250;
    private static final String SOURCE_RANGE = "198.18.0.0/24";
    private static final Duration FLOOD = Duration.ofSeconds(25);
    private static final Duration PING_INTERVAL = Duration.ofMillis(20);
    private static final Duration NEW_TUNNEL_DEADLINE = Duration.ofSeconds(30);
    private static final int HALF_OPEN_LIMIT = 100;
    private static final long RSS_LIMIT_KIB = 512 * 1024;
    private static final double MAX_PING_LOSS_PERCENT = 2.0;
    /** strongSwan's link to west: 198.19.0.1 on west, .2 on strongSwan (RFC 2544 benchmark space, as the sources). */
    private static final String SWAN_LINK = "198.19.0";
    /** charon at log level 2 prints each message it parsed; a COOKIE answer to its IKE_SA_INIT is this one. */
    private static final Pattern COOKIE_ANSWER = Pattern.compile("parsed IKE_SA_INIT response 0 \\[ N\\(COOKIE\\) \\]");

    private final String prefix = RunPrefix.next();

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
        LabRequirements.tools("ping", "charon");
    }

    @AfterEach
    void cleanUp() {
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    @Test
    void aFloodFromManySourcesLeavesTheTunnelAndANewPeerWorking() throws Exception {
        try (Topology t = Topology.create(prefix, false)) {
            // east's lo answers for the whole range (a local route), west reaches it through east
            t.east().ip("route", "add", "local", SOURCE_RANGE, "dev", "lo");
            t.west().ip("route", "add", SOURCE_RANGE, "via", t.eastOuterV4());
            Conn westSecond = Conn.named("second").set("left", t.westOuterV4()).set("leftid", "west-second.example")
                    .set("leftsubnet", "10.1.7.0/24").set("right", "%any").set("rightid", "east-second.example")
                    .set("rightsubnet", "10.2.7.0/24").set("auto", "add");
            Conn eastSecond = Conn.named("second").set("left", t.eastOuterV4()).set("leftid", "east-second.example")
                    .set("leftsubnet", "10.2.7.0/24").set("right", t.westOuterV4()).set("rightid", "west-second.example")
                    .set("rightsubnet", "10.1.7.0/24").set("auto", "add");
            Netns swanNs = t.addWestPeer("s", SWAN_LINK);
            // kernel-libipsec routes the CHILD_SA's subnet from an address of it, as west and east have theirs on lo
            swanNs.ip("addr", "add", "10.3.0.1/32", "dev", "lo");
            Conn westSwan = Conn.named("swan").set("left", t.westOuterV4()).set("leftid", "west-swan.example")
                    .set("leftsubnet", "10.1.8.0/24").set("right", "%any").set("rightid", "swan.example")
                    .set("rightsubnet", "10.3.0.0/24").set("ike", "aes128-sha256-ecp256!").set("esp", "aes128gcm16!")
                    .set("auto", "add");
            String swanConf = SwanctlConf.builder().localAddrs(SWAN_LINK + ".2").remoteAddrs(t.westOuterV4())
                    .localId("swan.example").remoteId("west-swan.example").localTs("10.3.0.0/24")
                    .remoteTs("10.1.8.0/24").proposals("aes128-sha256-ecp256").espProposals("aes128gcm16").build();
            try (LabGateway east = LabGateway.start(t.east(), prefix, List.of(Conn.eastFromAnywhere(t), eastSecond));
                    LabGateway west = LabGateway.start(t.west(), prefix,
                            List.of(Conn.westToEast(t), westSecond, westSwan),
                            "--init-limit-half-open", Integer.toString(HALF_OPEN_LIMIT));
                    StrongSwan swan = StrongSwan.startAndLoad(swanNs, swanConf)) {
                west.awaitState("s2s", "CONNECTED");
                assertThat(Ping.awaitReply(t.west(), Topology.WEST_HOST_V4, Topology.EAST_HOST_V4,
                        LabGateway.DEADLINE)).isTrue();
                Duration quiet = timeToConnected(east, "second");
                assertThat(east.control(Map.of("cmd", "down", "name", "second"))).containsEntry("ok", true);
                Poll.require(LabGateway.DEADLINE, "west's second down",
                        () -> !"CONNECTED".equals(stateOrNull(west, "second")));
                Newcomer swanQuiet = swanTimeToConnected(swan, west);
                assertThat(swanQuiet.connected()).as("strongSwan without the flood: %s", swanQuiet).isTrue();
                assertThat(swan.swanctl("--terminate", "--ike", SwanctlConf.DEFAULT_CONNECTION).ok()).isTrue();
                Poll.require(LabGateway.DEADLINE, "west's swan down",
                        () -> !"CONNECTED".equals(stateOrNull(west, "swan")));
                int cookiesBefore = count(COOKIE_ANSWER, swan.log());

                long westPid = west.pid();
                long cpuBefore = cpuTicks(westPid);
                long started = System.nanoTime();
                List<InetAddress> sources = sources();
                InetAddress target = InetAddress.getByName(t.westOuterV4());
                int pings = (int) (FLOOD.toMillis() / PING_INTERVAL.toMillis());
                try (RssSampler rss = RssSampler.start(List.of(westPid))) {
                    CompletableFuture<IkeFloodSender.Sent> flood = CompletableFuture.supplyAsync(() -> {
                        try {
                            return NetworkNamespace.in(t.east().name(),
                                    () -> new IkeFloodSender(sources, target).sendFor(FLOOD));
                        } catch (Exception e) {
                            throw new IllegalStateException("the flood failed", e);
                        }
                    });
                    CompletableFuture<Ping.Result> ping = CompletableFuture.supplyAsync(() -> Ping.run(t.west(),
                            Topology.WEST_HOST_V4, Topology.EAST_HOST_V4, pings, PING_INTERVAL,
                            FLOOD.plusSeconds(10)));
                    // the new peer comes in once west is defending itself
                    Poll.require(FLOOD, Duration.ofMillis(200), "west demanding cookies or rate limiting",
                            () -> defending(ikeOf(west)));
                    CompletableFuture<Newcomer> swanDuring = CompletableFuture.supplyAsync(
                            () -> swanTimeToConnected(swan, west));
                    Duration underFlood = timeToConnected(east, "second");
                    Newcomer swanUnderFlood = swanDuring.get();
                    boolean newcomersWithinFlood = !flood.isDone();
                    int cookieRounds = count(COOKIE_ANSWER, swan.log()) - cookiesBefore;
                    int maxHalfOpen = 0;
                    while (!flood.isDone()) {
                        Map<String, Object> ike = ikeOf(west);
                        if (ike != null) maxHalfOpen = Math.max(maxHalfOpen, number(ike, "half_open"));
                        Poll.until(Duration.ofMillis(250), flood::isDone); // the sampling period
                    }
                    IkeFloodSender.Sent sent = flood.get();
                    Ping.Result crossed = ping.get();
                    long cpuTicks = cpuTicks(westPid) - cpuBefore;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long rssPeakKib = rss.stop().get(0);
                    Map<String, Object> ike = ikeOf(west);
                    JvmHeap heap = JvmHeap.afterFullGc(westPid);

                    String figures = String.format(Locale.ROOT,
                            "flood: %s%nwest: CPU %.0f%% of one core over %.1f s, RSS peak %d MiB, heap after the"
                                    + " flood %d KiB used of %d KiB committed%nwest ike: %s (half_open peak %d, limit"
                                    + " %d)%nping through s2s: %s%nnew tunnel CONNECTED in %d ms without the flood,"
                                    + " %d ms during it; strongSwan's in %d ms without, %d ms during it (COOKIE"
                                    + " answers it got: %d; both before the flood ended: %s)%n",
                            sent, 100.0 * cpuTicks / 100 / seconds, seconds, rssPeakKib / 1024, heap.usedKib(),
                            heap.committedKib(), ike, maxHalfOpen, HALF_OPEN_LIMIT, crossed, quiet.toMillis(),
                            underFlood.toMillis(), swanQuiet.took().toMillis(), swanUnderFlood.took().toMillis(),
                            cookieRounds, newcomersWithinFlood);
                    System.out.print(figures);
                    String logs = figures + "--- west ---%n" + west.log() + "%n--- strongSwan ---%n" + swan.log();
                    assertThat(west.alive()).as("west alive" + logs).isTrue();
                    assertThat(sent.total()).as("the flood ran").isGreaterThan(FLOOD.toSeconds() * 1000);
                    assertThat(rssPeakKib).as("west's RSS peak in KiB" + logs).isLessThan(RSS_LIMIT_KIB);
                    assertThat(maxHalfOpen).as("half-open SAs" + logs).isLessThanOrEqualTo(HALF_OPEN_LIMIT);
                    assertThat(number(ike, "half_open")).isLessThanOrEqualTo(HALF_OPEN_LIMIT);
                    assertThat(defending(ike)).as("cookies demanded or sources dropped" + logs).isTrue();
                    assertThat(crossed.lossPercent()).as("ping loss through s2s: %s" + logs, crossed.output())
                            .isLessThan(MAX_PING_LOSS_PERCENT);
                    assertThat(underFlood).as("time to CONNECTED during the flood" + logs)
                            .isLessThan(NEW_TUNNEL_DEADLINE);
                    assertThat(swanUnderFlood.connected()).as("strongSwan during the flood: %s" + logs, swanUnderFlood)
                            .isTrue();
                    assertThat(cookieRounds).as("COOKIE answers strongSwan came back from" + logs).isPositive();
                    assertThat(west.tunnel("s2s").get("state")).isEqualTo("CONNECTED");
                    assertThat(west.tunnel("swan").get("state")).isEqualTo("CONNECTED");
                }
            }
        }
    }

    /** `up NAME` on the initiator, then the time until its status says CONNECTED (fails past the deadline). */
    private static Duration timeToConnected(LabGateway initiator, String name) throws Exception {
        long start = System.nanoTime();
        assertThat(initiator.control(Map.of("cmd", "up", "name", name))).containsEntry("ok", true);
        boolean up = Poll.until(NEW_TUNNEL_DEADLINE, Duration.ofMillis(20),
                () -> "CONNECTED".equals(stateOrNull(initiator, name)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(up).as("%s CONNECTED within %s%n--- initiator ---%n%s", name, NEW_TUNNEL_DEADLINE,
                initiator.log()).isTrue();
        return took;
    }

    /** How a newcomer's initiation went: its time, whether it reached CONNECTED on both ends, and what it said. */
    private record Newcomer(Duration took, boolean connected, String output) {
    }

    /**
     * strongSwan initiates its connection to west: the time until `swanctl --initiate` reports the CHILD_SA up (it
     * gives up after 20 s), then west's status must agree.
     */
    private static Newcomer swanTimeToConnected(StrongSwan swan, LabGateway west) {
        long start = System.nanoTime();
        ExecResult r = swan.initiate(SwanctlConf.DEFAULT_CHILD);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        boolean westAgrees = r.ok() && Poll.until(LabGateway.DEADLINE, Duration.ofMillis(50),
                () -> "CONNECTED".equals(stateOrNull(west, "swan")));
        return new Newcomer(took, westAgrees, r.describe());
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private static Object stateOrNull(LabGateway gateway, String name) {
        try {
            return gateway.tunnel(name).get("state");
        } catch (Exception e) {
            return null; // the control socket was slow to answer: poll again
        }
    }

    /** The "ike" object of `status --json`, or null when the daemon did not answer in time. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ikeOf(LabGateway gateway) {
        try {
            return (Map<String, Object>) gateway.control(Map.of("cmd", "status")).get("ike");
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean defending(Map<String, Object> ike) {
        return ike != null && (number(ike, "cookies_sent") > 0 || number(ike, "rate_limited") > 0);
    }

    private static int number(Map<String, Object> ike, String key) {
        return ((Number) ike.get(key)).intValue();
    }

    private static List<InetAddress> sources() throws Exception {
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 0; i < SOURCES; i++) {
            sources.add(InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) (i + 1)}));
        }
        return sources;
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux), from /proc/PID/stat. */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15, counted from 1
    }
}
