package io.causeway.daemon.gateway;

import io.causeway.ike.sa.TimerKey;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one control thread (DESIGN.md): every IKE engine call and every state change runs here,
 * so the engine needs no locks. Timers the engine asks for are Netty scheduled tasks.
 */
final class ControlLoop implements AutoCloseable {
    private final DefaultEventLoop loop = new DefaultEventLoop(null, (Runnable r) -> {
        Thread t = new Thread(r, "control");
        t.setDaemon(true);
        t.start();
    });
    private final Map<TimerKey, ScheduledFuture<?>> timers = new HashMap<>();

    void execute(Runnable task) {
        loop.execute(task);
    }

    /** Runs the task on the control thread and waits for it: for callers outside the loop. */
    <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** Arms (or re-arms) a timer; on the control thread only. */
    void setTimer(TimerKey key, long atMillis, Consumer<TimerKey> fired) {
        cancelTimer(key);
        long delay = Math.max(0, atMillis - System.currentTimeMillis());
        timers.put(key, loop.schedule(() -> {
            timers.remove(key);
            fired.accept(key);
        }, delay, TimeUnit.MILLISECONDS));
    }

    /** A task repeated every period until the returned handle is cancelled. */
    ScheduledFuture<?> every(java.time.Duration period, Runnable task) {
        long ms = period.toMillis();
        return loop.scheduleAtFixedRate(task, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs a task once after a delay; for timers of the gateway's own (not the engine's). */
    ScheduledFuture<?> schedule(java.time.Duration delay, Runnable task) {
        return loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancelTimer(TimerKey key) {
        ScheduledFuture<?> f = timers.remove(key);
        if (f != null) f.cancel(false);
    }

    @Override
    public void close() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
