package io.causeway.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.causeway.daemon.control.ControlServer;
import io.causeway.daemon.logging.LogLevels;
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

    @Test
    void debugForOneConnectionReachesTheDaemonsLogging() {
        CliRun r = CliRun.of("log-level", "debug", "office", "--socket", socket().toString());

        gateway.debug("{}: 2 packet(s) kept by the trap sent through the new CHILD_SA", "office");
        gateway.debug("{}: 1 packet(s) kept by the trap sent through the new CHILD_SA", "branch");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("office: log level debug (other messages: info)");
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("office: 2 packet(s) kept by the trap sent through the new CHILD_SA");
    }

    @Test
    void aGlobalLevelChangesTheRootLogger() {
        CliRun r = CliRun.of("log-level", "warn", "--socket", socket().toString());

        gateway.info("{}: trap installed", "office");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("log level warn");
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        assertThat(seen.list).isEmpty();
    }

    @Test
    void unknownLevelOrConnectionIsAUsageError() {
        CliRun level = CliRun.of("log-level", "loud", "--socket", socket().toString());
        CliRun name = CliRun.of("log-level", "debug", "nope", "--socket", socket().toString());

        assertThat(level.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(level.err()).contains("unknown log level loud");
        assertThat(name.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.err().strip()).isEqualTo("causeway: no connection named nope");
    }

    @Test
    void withoutDaemonExitsTwo() {
        CliRun r = CliRun.of("log-level", "debug", "--socket", dir.resolve("missing.sock").toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
