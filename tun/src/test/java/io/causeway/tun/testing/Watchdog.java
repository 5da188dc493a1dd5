package io.causeway.tun.testing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a device or socket at a deadline, so a test blocked reading it gets -1 instead of hanging. One daemon
 * thread for every test class; cancel the returned future once the read has returned.
 */
public final class Watchdog {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-watchdog");
        t.setDaemon(true);
        return t;
    });

    private Watchdog() {
    }

    public static ScheduledFuture<?> closeAfter(AutoCloseable closeable, long seconds) {
        return TIMER.schedule(() -> {
            closeable.close();
            return null;
        }, seconds, TimeUnit.SECONDS);
    }
}
