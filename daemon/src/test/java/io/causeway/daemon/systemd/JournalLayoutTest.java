package io.causeway.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** Lines as journald reads them from a service's stderr (sd-daemon(3) priority prefixes). */
class JournalLayoutTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("io.causeway.daemon.gateway.Gateway");
    private final JournalLayout layout = new JournalLayout();

    private LoggingEvent event(Level level, String message, Throwable thrown, Object... args) {
        return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, args);
    }

    @Test
    void levelsMapToSyslogPriorities() {
        assertThat(JournalLayout.priority(Level.ERROR)).isEqualTo(3);
        assertThat(JournalLayout.priority(Level.WARN)).isEqualTo(4);
        assertThat(JournalLayout.priority(Level.INFO)).isEqualTo(6);
        assertThat(JournalLayout.priority(Level.DEBUG)).isEqualTo(7);
        assertThat(JournalLayout.priority(Level.TRACE)).isEqualTo(7);
    }

    @Test
    void noTimestampNoLevelWordOnlyThePrefixAndTheShortLoggerName() {
        assertThat(layout.doLayout(event(Level.WARN, "{}: cannot resolve right={}", null, "office", "gw.example")))
                .isEqualTo("<4>Gateway: office: cannot resolve right=gw.example\n");
    }

    @Test
    void everyLineOfAMultiLineMessageIsPrefixed() {
        assertThat(layout.doLayout(event(Level.INFO, "first\nsecond\r\nthird", null)))
                .isEqualTo("<6>Gateway: first\n<6>second\n<6>third\n");
    }

    @Test
    void stackTraceLinesKeepTheEventsPriority() {
        String out = layout.doLayout(event(Level.ERROR, "failed", new IllegalStateException("boom")));
        assertThat(out.lines()).hasSizeGreaterThan(2).allSatisfy(line -> assertThat(line).startsWith("<3>"));
        assertThat(out).contains("<3>java.lang.IllegalStateException: boom\n");
    }
}
