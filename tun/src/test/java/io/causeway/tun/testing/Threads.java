package io.causeway.tun.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Observing a thread from outside, for "is it really blocked?" checks. */
public final class Threads {
    private Threads() {
    }

    /**
     * Waits (spinning with yields, no sleeps) until the kernel reports thread {@code tid} of this
     * process as sleeping: state S in /proc/self/task/TID/stat.
     *
     * @return whether it was seen sleeping before the deadline
     */
    public static boolean awaitSleeping(int tid, long timeoutNanos) throws IOException {
        Path stat = Path.of("/proc/self/task/" + tid + "/stat");
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            String s = Files.readString(stat);
            // "tid (comm) S ...": comm may contain spaces, the state follows the last ')'.
            if (s.charAt(s.lastIndexOf(')') + 2) == 'S') {
                return true;
            }
            Thread.yield();
        }
        return false;
    }
}
