package io.causeway.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs host commands (ip, nft, nsenter, ...) with a timeout and captures their output. */
public final class Commands {
    private Commands() {}

    public static ExecResult run(Duration timeout, String... command) {
        return run(timeout, List.of(command), null, Map.of());
    }

    public static ExecResult run(Duration timeout, List<String> command) {
        return run(timeout, command, null, Map.of());
    }

    /**
      * @param stdin text fed to the command's standard input, or null for none (nft -f - needs it)
      * @param env extra environment variables
      */
    public static ExecResult run(Duration timeout, List<String> command, String stdin, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        if (stdin == null) {
            // nothing must wait on a terminal or on our stdin
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        // Drain both pipes on their own threads: a chatty command must never block on a full pipe.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = pump(process.getInputStream(), out);
        Thread errPump = pump(process.getErrorStream(), err);
        try {
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            outPump.join(2000);
            errPump.join(2000);
            return new ExecResult(List.copyOf(command), finished ? process.exitValue() : -1,
                    text(out), text(err), !finished);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new LabException("cannot write stdin of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted running " + String.join(" ", command), e);
        }
    }

    private static Thread pump(InputStream from, ByteArrayOutputStream to) {
        Thread thread = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the process went away; whatever was read so far is kept
            }
        }, "lab-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8); // ByteArrayOutputStream is synchronized itself
    }

    /** Sends SIGTERM, waits up to grace, then SIGKILL. Returns true once the process is gone. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (Poll.until(grace, () -> !process.isAlive())) {
            return true;
        }
        process.destroyForcibly();
        return Poll.until(Duration.ofSeconds(5), () -> !process.isAlive());
    }
}
