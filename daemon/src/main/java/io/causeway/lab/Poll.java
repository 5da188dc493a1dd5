package io.causeway.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
  * Waits for a condition with a deadline. The lab never sleeps a fixed time hoping something is
  * ready: it re-checks the real condition every few milliseconds and fails loudly at the deadline.
  */
public final class Poll {
    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(50);

    private Poll() {}

    /** True as soon as the condition holds, false if the deadline passes first. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        return until(timeout, DEFAULT_INTERVAL, condition);
    }

    public static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(interval);
        }
    }

    /** Like {@link #until} but throws, naming what was awaited. */
    public static void require(Duration timeout, String what, BooleanSupplier condition) {
        require(timeout, DEFAULT_INTERVAL, what, condition);
    }

    /** Like {@link #require(Duration, String, BooleanSupplier)}, checking every interval (for a costly check). */
    public static void require(Duration timeout, Duration interval, String what, BooleanSupplier condition) {
        if (!until(timeout, interval, condition)) {
            throw new LabException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }

    static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while polling", e);
        }
    }
}
