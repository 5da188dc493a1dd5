package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.control.ControlServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `causeway up` / `down` against a scripted daemon on a real control socket: output and exit codes. */
class UpDownCliTest {
    @TempDir Path dir;

    private ControlServer daemon;
    private final List<Map<String, Object>> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger statusCalls = new AtomicInteger();


    @AfterEach
    void stopDaemon() {
        if (daemon != null) daemon.close();
    }

    private Path socket() {
        return dir.resolve("cw.sock");
    }

    /** A daemon that answers up/down with {@code accepted} and the n-th status call with {@code status.apply(n)}. */
    private void daemon(Map<String, Object> accepted, IntFunction<Map<String, Object>> tunnelAtPoll) throws Exception {
        daemon = ControlServer.start(socket(), request -> {
            requests.add(request);
            if (!"status".equals(request.get("cmd"))) return accepted;
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("ok", true);
            response.put("tunnels", List.of(tunnelAtPoll.apply(statusCalls.getAndIncrement())));
            return response;
        });
    }

    private static Map<String, Object> accepted(String state, boolean already) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("name", "s2s");
        m.put("state", state);
        m.put("already", already);
        m.put("trap", false);
        return m;
    }

    private static Map<String, Object> tunnel(String state, String lastError, boolean trap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "s2s");
        m.put("state", state);
        m.put("last_error", lastError);
        m.put("trap", trap);
        return m;
    }

    @Test
    void upAndDownWithoutDaemonExitTwoWithOneLine() {
        for (String cmd : List.of("up", "down")) {
            CliRun r = CliRun.of(cmd, "s2s", "--socket", socket().toString());
            assertThat(r.exit()).as(cmd).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err().strip().lines()).as(cmd).hasSize(1);
            assertThat(r.err()).contains("not running");
        }
    }

    @Test
    void upWaitsUntilConnectedAndSaysHowLongItTook() throws Exception {
        daemon(accepted("CONNECTING", false), n -> tunnel(n < 3 ? "CONNECTING" : "CONNECTED", null, false));

        CliRun r = CliRun.of("up", "s2s", "--socket", socket().toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("s2s: CONNECTED after \\d+ ms");
        assertThat(statusCalls.get()).isEqualTo(4);
        assertThat(requests.get(0)).containsEntry("cmd", "up").containsEntry("name", "s2s");
    }

    @Test
    void upThatFailsPrintsTheReasonAndExitsThree() throws Exception {
        String reason = "peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids";
        daemon(accepted("CONNECTING", false), n -> tunnel(n < 2 ? "CONNECTING" : "PHASE1_FAILED", reason, false));

        CliRun r = CliRun.of("up", "s2s", "--socket", socket().toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err().strip()).isEqualTo("causeway: s2s: PHASE1_FAILED: " + reason);
    }

    @Test
    void upThatGoesDownWhileConnectingFails() throws Exception {
        daemon(accepted("CONNECTING", false), n -> tunnel("DOWN", "peer deleted the IKE SA", false));

        CliRun r = CliRun.of("up", "s2s", "--socket", socket().toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("s2s: DOWN: peer deleted the IKE SA");
    }

    @Test
    void upGivesUpAtTheTimeout() throws Exception {
        daemon(accepted("CONNECTING", false), n -> tunnel("CONNECTING", null, false));

        CliRun r = CliRun.of("up", "s2s", "--timeout", "300ms", "--socket", socket().toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("s2s: not CONNECTED after 300 ms (state CONNECTING)");
        assertThat(statusCalls.get()).isGreaterThan(1);
    }

    @Test
    void upOnAConnectedTunnelReturnsAtOnce() throws Exception {
        daemon(accepted("CONNECTED", true), n -> tunnel("CONNECTED", null, false));

        CliRun r = CliRun.of("up", "s2s", "--socket", socket().toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("s2s: already CONNECTED");
        assertThat(statusCalls.get()).isZero();
    }

    @Test
    void upNoWaitReturnsOnceAccepted() throws Exception {
        daemon(accepted("CONNECTING", false), n -> tunnel("CONNECTING", null, false));

        CliRun r = CliRun.of("up", "s2s", "--no-wait", "--socket", socket().toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("s2s: initiating (CONNECTING)");
        assertThat(statusCalls.get()).isZero();
    }

    @Test
    void unknownConnectionIsAUsageErrorForEveryCommand() throws Exception {
        daemon(Map.of("ok", false, "error", "no connection named nope", "usage_error", true), n -> tunnel("DOWN", null, false));

        for (String cmd : List.of("up", "down")) {
            CliRun r = CliRun.of(cmd, "nope", "--socket", socket().toString());
            assertThat(r.exit()).as(cmd).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip()).as(cmd).isEqualTo("causeway: no connection named nope");
        }
    }

    @Test
    void downWaitsForDownAndMentionsAKeptTrap() throws Exception {
        daemon(accepted("DOWN", false), n -> tunnel(n < 1 ? "CONNECTED" : "DOWN", null, true));

        CliRun r = CliRun.of("down", "s2s", "--socket", socket().toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("s2s: DOWN (auto=route: the trap stays");
        assertThat(requests.get(0)).containsEntry("cmd", "down");
    }

    @Test
    void upNeedsAName() {
        assertThat(CliRun.of("up", "--socket", socket().toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }
}
