package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a started service in the foreground: serves the control socket, prints READY, and on
 * SIGTERM closes the socket and the service. The JVM exits as soon as the shutdown hooks
 * return, so all cleanup happens inside the hook, not after the wait.
 */
final class Foreground {
    private Foreground() {}

    static int run(Path socket, ControlServer.Handler handler, AutoCloseable service)
            throws IOException, InterruptedException {
        ControlServer control = ControlServer.start(socket, handler);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
        stopped.await();
        return ExitCodes.OK;
    }
}
