package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.causeway.daemon.control.ControlServer;
import io.causeway.daemon.logging.LogLevels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `causeway log-level` over a real control socket to the daemon's handler, which works on a logback context of
 * the test's own: the CLI's request changes what that context logs.
 */
class LogLevelCliTest {
    @TempDir Path dir;

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private ControlServer daemon;
    private Logger gateway;

    private record Run(int exit, String out, String err) {}

    @BeforeEach
    void startDaemon() throws Exception {
        seen.setContext(context);
        seen.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(seen);
        root.setLevel(Level.INFO);
        gateway = context.getLogger("io.causeway.daemon.gateway.Traps");
        LogLevels levels = new LogLevels(context);
        daemon = ControlServer.start(socket(), request -> levels.handle(request, "office"::equals));
    }

    @AfterEach
    void stop() {
        daemon.close();
        context.stop();
    }

    private Path socket() {
        return dir.resolve("cw.sock");
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void debugForOneConnectionReachesTheDaemonsLogging() {
        Run r = run("log-level", "debug", "office", "--socket", socket().toString());

        gateway.debug("{}: 2 packet(s) kept by the trap sent through the new CHILD_SA", "office");
        gateway.debug("{}: 1 packet(s) kept by the trap sent through the new CHILD_SA", "branch");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("office: log level debug (other messages: info)");
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("office: 2 packet(s) kept by the trap sent through the new CHILD_SA");
    }

    @Test
    void aGlobalLevelChangesTheRootLogger() {
        Run r = run("log-level", "warn", "--socket", socket().toString());

        gateway.info("{}: trap installed", "office");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("log level warn");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(seen.list).isEmpty();
    }

    @Test
    void unknownLevelOrConnectionIsAUsageError() {
        Run level = run("log-level", "loud", "--socket", socket().toString());
        Run name = run("log-level", "debug", "nope", "--socket", socket().toString());

        assertThat(level.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(level.err()).contains("unknown log level loud");
        assertThat(name.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err().strip()).isEqualTo("causeway: no connection named nope");
    }

    @Test
    void withoutDaemonExitsTwo() {
        Run r = run("log-level", "debug", "--socket", dir.resolve("missing.sock").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
