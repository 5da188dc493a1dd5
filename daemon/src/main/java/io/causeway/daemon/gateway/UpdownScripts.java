package io.causeway.daemon.gateway;

import io.causeway.conf.connection.Connection;
import io.causeway.ike.sa.ChildSaInstall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs leftupdown scripts as strongSwan's updown plugin does: up-client when a connection's CHILD_SA is installed,
 * down-client when it is removed (not for the make-before-break of a rekey, which strongSwan does not report either),
 * once per local/remote subnet pair, through {@code /bin/sh -c} so the setting may carry arguments. Scripts run in
 * order on their own thread, never on the control thread, each with a time limit; a failure is logged with its exit
 * code and the first lines of its stderr and changes nothing about the tunnel. The environment holds only the PLUTO_*
 * variables and a PATH: nothing of the daemon's own, and never a key.
 */
final class UpdownScripts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpdownScripts.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final int STDERR_LINES = 5;
    private static final int MAX_QUEUED = 1000;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String tunDevice;
    private final Duration timeout;
    /** One thread, so the down of a CHILD_SA never overtakes its up. */
    private final ExecutorService runner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
                Thread t = new Thread(r, "updown");
                t.setDaemon(true);
                return t;
            }, (r, pool) -> log.error("updown: more than {} scripts waiting, one dropped", MAX_QUEUED));
    /** strongSwan's reqid: one per connection for the daemon's life, the same across rekeys. Control thread only. */
    private final Map<String, Integer> reqids = new HashMap<>();
    private int uniqueIds;

    UpdownScripts(String tunDevice, Duration timeout) {
        this.tunDevice = tunDevice;
        this.timeout = timeout;
    }

    /** The connection's first CHILD_SA is installed; returns the PLUTO_UNIQUEID its down must repeat. Control thread. */
    int up(Connection conn, ChildSaInstall child) {
        int uniqueId = ++uniqueIds;
        run(true, conn, child, uniqueId);
        return uniqueId;
    }

    /** The connection's last CHILD_SA is removed. Control thread. */
    void down(Connection conn, ChildSaInstall child, int uniqueId) {
        run(false, conn, child, uniqueId);
    }

    private void run(boolean up, Connection conn, ChildSaInstall child, int uniqueId) {
        String script = conn.left().updown().orElse(null);
        if (script == null || script.isBlank()) return;
        int reqid = reqids.computeIfAbsent(conn.name(), n -> reqids.size() + 1);
        List<Map<String, String>> envs = UpdownEnvironment.of(up, conn, child,
                new UpdownEnvironment.Context(tunDevice, reqid, uniqueId));
        for (Map<String, String> env : envs) {
            runner.execute(() -> runOnce(conn.name(), script, env));
        }
    }

    private void runOnce(String connection, String script, Map<String, String> env) {
        String verb = env.get("PLUTO_VERB");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script);
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            StderrHead stderr = new StderrHead(p.getErrorStream());
            stderr.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                log.error("{}: updown {} ({} === {}) killed after {} s", connection, verb, env.get("PLUTO_MY_CLIENT"),
                        env.get("PLUTO_PEER_CLIENT"), timeout.toSeconds());
                return;
            }
            stderr.join(1000);
            int code = p.exitValue();
            if (code != 0) {
                log.error("{}: updown {} ({} === {}) exited with {}{}", connection, verb, env.get("PLUTO_MY_CLIENT"),
                        env.get("PLUTO_PEER_CLIENT"), code, stderr.head().isEmpty() ? "" : ": " + stderr.head());
            } else {
                log.debug("{}: updown {} ({} === {}) done", connection, verb, env.get("PLUTO_MY_CLIENT"),
                        env.get("PLUTO_PEER_CLIENT"));
            }
        } catch (IOException e) {
            log.error("{}: updown {} could not run: {}", connection, verb, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects the first lines of a script's stderr and drains the rest, so the script never blocks writing. */
    private static final class StderrHead extends Thread {
        private final InputStream in;
        private final StringBuilder head = new StringBuilder();

        StderrHead(InputStream in) {
            super("updown-stderr");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (in) {
                String text = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                in.transferTo(java.io.OutputStream.nullOutputStream());
                String[] lines = text.split("\n");
                synchronized (head) {
                    for (int i = 0; i < Math.min(STDERR_LINES, lines.length); i++) {
                        if (i > 0) head.append(" | ");
                        head.append(lines[i].strip());
                    }
                }
            } catch (IOException e) {
                // the script is gone; what was read is all there is
            }
        }

        String head() {
            synchronized (head) {
                return head.toString();
            }
        }
    }

    @Override
    public void close() {
        runner.shutdown();
        try {
            // down-client scripts of the shutdown get a moment to finish
            runner.awaitTermination(Math.min(timeout.toMillis(), SHUTDOWN_WAIT.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
