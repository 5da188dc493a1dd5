package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlServer;
import io.causeway.daemon.systemd.SdNotify;
import io.causeway.daemon.systemd.StatusReporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Runs a started service in the foreground: serves the control socket, prints READY (and tells
 * systemd, under Type=notify), keeps systemd's status line current, and on SIGTERM closes the
 * socket and the service. The JVM exits as soon as the shutdown hooks return, so all cleanup
 * happens inside the hook, not after the wait.
 */
final class Foreground {
    private Foreground() {}

    /**
     * @param statusLine the service's one-line status for systemd ("3 tunnels, 2 connected"),
     *     asked once a second; may throw, the last line then stays
     */
    static int run(Path socket, ControlServer.Handler handler, AutoCloseable service, Supplier<String> statusLine)
            throws IOException, InterruptedException {
        ControlServer control = ControlServer.start(socket, handler);
        SdNotify systemd = SdNotify.fromEnvironment();
        String first = firstLine(statusLine);
        StatusReporter reporter = StatusReporter.start(systemd, statusLine, first);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            systemd.stopping();
            reporter.close();
            control.close();
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("causeway: stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "shutdown"));
        System.out.println("READY");
        System.out.flush();
        systemd.ready(first);
        stopped.await();
        return ExitCodes.OK;
    }

    private static String firstLine(Supplier<String> statusLine) {
        try {
            return statusLine.get();
        } catch (RuntimeException e) {
            return "running";
        }
    }
}
