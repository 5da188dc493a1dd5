package io.causeway.daemon.systemd;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the service's STATUS= line current: asks for the line once a second and sends it when it
 * changed. Polling instead of hooking every state change keeps the gateway unaware of systemd,
 * and also catches changes that no single event announces (a reload adding tunnels).
 */
public final class StatusReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);
    private static final long PERIOD_MILLIS = 1000;

    private final SdNotify notify;
    private final Supplier<String> line;
    private ScheduledExecutorService timer;
    private String sent;

    /** Reports nothing until {@link #start} or {@link #report}; {@code first} counts as sent already. */
    StatusReporter(SdNotify notify, Supplier<String> line, String first) {
        this.notify = notify;
        this.line = line;
        this.sent = first;
    }

    /** Starts reporting changes of {@code line} after {@code first}, which was sent with READY=1. */
    public static StatusReporter start(SdNotify notify, Supplier<String> line, String first) {
        StatusReporter reporter = new StatusReporter(notify, line, first);
        if (notify.enabled()) {
            reporter.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sd-notify-status");
                t.setDaemon(true);
                return t;
            });
            reporter.timer.scheduleWithFixedDelay(reporter::report, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        return reporter;
    }

    /** Sends the current line if it differs from the last one sent; runs on the timer thread. */
    void report() {
        try {
            String now = line.get();
            if (!now.equals(sent)) {
                notify.status(now);
                sent = now;
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; the status line must outlive one failure
            log.debug("service status line: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
