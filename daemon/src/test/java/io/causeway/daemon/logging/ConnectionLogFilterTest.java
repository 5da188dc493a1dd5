package io.causeway.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Per-connection log levels on a logback context of the test's own, so the process's logging is not touched. */
class ConnectionLogFilterTest {
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
    private final LogLevels levels = new LogLevels(context);
    private Logger gateway;

    @BeforeEach
    void rootAtInfo() {
        seen.setContext(context);
        seen.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(seen);
        root.setLevel(Level.INFO);
        gateway = context.getLogger("io.causeway.daemon.gateway.EngineActions");
    }

    @AfterEach
    void stop() {
        MDC.clear();
        context.stop();
    }

    private List<String> messages() {
        return seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void debugForOneConnectionShowsOnlyItsDebugMessages() {
        levels.setFor("office", Level.DEBUG);

        gateway.debug("{}: 3 packet(s) kept by the trap sent", "office");
        gateway.debug("{}: 2 packet(s) kept by the trap sent", "branch");
        gateway.debug("route {} already gone", "10.2.0.0/24");
        gateway.trace("{}: finer than asked", "office");
        gateway.info("{}: CONNECTED", "branch");

        assertThat(messages()).containsExactly("office: 3 packet(s) kept by the trap sent", "branch: CONNECTED");
    }

    @Test
    void aQuieterLevelForOneConnectionSilencesOnlyIt() {
        levels.setFor("noisy", Level.ERROR);

        gateway.info("{}: CHILD_SA up", "noisy");
        gateway.warn("{}: PHASE2_FAILED: no proposal chosen", "noisy");
        gateway.error("{}: CHILD_SA could not be installed", "noisy");
        gateway.info("{}: CHILD_SA up", "quiet");

        assertThat(messages()).containsExactly("noisy: CHILD_SA could not be installed", "quiet: CHILD_SA up");
    }

    @Test
    void theMdcNamesTheConnectionOfMessagesWithoutItsName() {
        levels.setFor("office", Level.DEBUG);

        MDC.put(ConnectionLogFilter.CONNECTION_KEY, "office");
        gateway.debug("updown script exited 0");
        MDC.remove(ConnectionLogFilter.CONNECTION_KEY);
        gateway.debug("updown script exited 1");

        assertThat(messages()).containsExactly("updown script exited 0");
    }

    @Test
    void aGlobalLevelDropsThePerConnectionOnes() {
        levels.setFor("office", Level.DEBUG);

        levels.setAll(Level.WARN);
        gateway.debug("{}: detail", "office");
        gateway.info("{}: CONNECTED", "office");
        gateway.warn("{}: DOWN: dead peer", "office");

        assertThat(messages()).containsExactly("office: DOWN: dead peer");
    }

    @Test
    void requestsAreCheckedAndAnsweredWithTheLevelsInForce() {
        Map<String, Object> ok = levels.handle(Map.of("cmd", "log-level", "level", "DEBUG", "name", "office"),
                "office"::equals);
        Map<String, Object> unknownLevel = levels.handle(Map.of("cmd", "log-level", "level", "verbose"), n -> true);
        Map<String, Object> unknownName = levels.handle(Map.of("cmd", "log-level", "level", "debug", "name", "nope"),
                "office"::equals);

        assertThat(ok).containsEntry("ok", true).containsEntry("level", "info")
                .containsEntry("connections", Map.of("office", "debug"));
        assertThat(unknownLevel).containsEntry("ok", false).containsEntry("usage_error", true);
        assertThat((String) unknownLevel.get("error")).contains("verbose", "error, warn, info, debug, trace");
        assertThat(unknownName).containsEntry("usage_error", true).containsEntry("error", "no connection named nope");
        assertThat(context.getTurboFilterList()).hasSize(1);
    }
}
