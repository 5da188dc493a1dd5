package io.causeway.daemon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.connection.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts run on their own thread with only PATH and the PLUTO_* variables; failures change nothing. */
class UpdownScriptsTest {
    @TempDir
    Path dir;

    private static List<String> waitForLines(Path file, int lines) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> read = Files.readAllLines(file);
                if (read.stream().filter(l -> l.equals("--")).count() >= lines) return read;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the script did not write " + lines + " block(s) to " + file);
    }

    private Connection load(Path script) throws IOException {
        Path confDir = Files.createDirectories(dir.resolve("conf3"));
        String conf = "conn site\n    authby=psk\n    left=192.0.2.1\n    leftid=west.example\n"
                + "    leftsubnet=10.1.0.0/24\n    right=192.0.2.2\n    rightid=east.example\n"
                + "    rightsubnet=10.2.0.0/24,10.3.0.0/24\n    leftupdown=\"" + script + " extra-arg\"\n    auto=add\n";
        var r = io.causeway.conf.ConfigLoader.load(Files.writeString(confDir.resolve("ipsec.conf"), conf),
                Files.writeString(confDir.resolve("ipsec.secrets"), "west.example east.example : PSK \"unseen\"\n"));
        assertThat(r.errors()).isEmpty();
        return r.config().activeConnections().get(0);
    }

    @Test
    void upAndDownRunOncePerSubnetPairWithACleanEnvironment() throws Exception {
        Path out = dir.resolve("env.log");
        Connection conn = load(Files.writeString(dir.resolve("dump.sh"),
                "#!/bin/sh\n{ echo \"ARG=$1\"; env | sort; echo --; } >> " + out + "\n"));
        dir.resolve("dump.sh").toFile().setExecutable(true);
        var child = UpdownEnvironmentTest.child(true, List.of("10.1.0.0/24"), List.of("10.2.0.0/24", "10.3.0.0/24"));
        try (UpdownScripts scripts = new UpdownScripts("cw7", Duration.ofSeconds(10))) {
            int id = scripts.up(conn, child);
            scripts.down(conn, child, id);
            List<String> lines = waitForLines(out, 4);

            assertThat(lines).filteredOn(l -> l.startsWith("PLUTO_VERB=")).containsExactly(
                    "PLUTO_VERB=up-client", "PLUTO_VERB=up-client", "PLUTO_VERB=down-client", "PLUTO_VERB=down-client");
            assertThat(lines).filteredOn(l -> l.startsWith("PLUTO_PEER_CLIENT=")).containsExactly(
                    "PLUTO_PEER_CLIENT=10.2.0.0/24", "PLUTO_PEER_CLIENT=10.3.0.0/24",
                    "PLUTO_PEER_CLIENT=10.2.0.0/24", "PLUTO_PEER_CLIENT=10.3.0.0/24");
            assertThat(lines).contains("ARG=extra-arg", "PLUTO_INTERFACE=cw7", "PLUTO_CONNECTION=site");
            assertThat(lines).filteredOn(l -> l.startsWith("PLUTO_UNIQUEID=")).containsOnly("PLUTO_UNIQUEID=" + id);
            assertThat(lines).noneMatch(l -> l.contains("unseen"));
            // only what /bin/sh adds itself besides PATH and PLUTO_*
            assertThat(lines).filteredOn(l -> l.contains("=") && !l.startsWith("ARG="))
                    .allMatch(l -> l.startsWith("PLUTO_") || l.startsWith("PATH=") || l.startsWith("PWD=")
                            || l.startsWith("SHLVL=") || l.startsWith("_=") || l.startsWith("OLDPWD="));
        }
    }

    @Test
    void aFailingOrHangingScriptIsLoggedAndTheNextOneStillRuns() throws Exception {
        Path out = dir.resolve("after.log");
        Path script = Files.writeString(dir.resolve("mixed.sh"), "#!/bin/sh\n"
                + "case \"$PLUTO_VERB\" in up-client) echo 'iptables: no chain' >&2; exit 4;; esac\n"
                + "[ \"$PLUTO_PEER_CLIENT\" = 10.2.0.0/24 ] && sleep 30\n"
                + "echo \"$PLUTO_VERB $PLUTO_PEER_CLIENT\" >> " + out + "; echo -- >> " + out + "\n");
        script.toFile().setExecutable(true);
        Connection conn = load(script);
        var child = UpdownEnvironmentTest.child(false, List.of("10.1.0.0/24"), List.of("10.2.0.0/24", "10.3.0.0/24"));
        try (UpdownScripts scripts = new UpdownScripts("cw0", Duration.ofMillis(500))) {
            long started = System.nanoTime();
            int id = scripts.up(conn, child);
            scripts.down(conn, child, id);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1)); // never waits

            assertThat(waitForLines(out, 1)).containsExactly("down-client 10.3.0.0/24", "--");
        }
    }
}
