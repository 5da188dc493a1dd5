package io.causeway.daemon.systemd;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/**
 * Log lines for journald's stdout/stderr stream: a syslog priority prefix ("&lt;4&gt;") instead of
 * a time stamp and level, which the journal records itself (sd-daemon(3)). Every line of a
 * multi-line message or stack trace carries the prefix, since the journal splits at newlines and
 * would file the continuation lines at the stream's default priority.
 */
public final class JournalLayout extends LayoutBase<ILoggingEvent> {
    /** syslog(3) priorities of sd-daemon(3)'s SD_ERR, SD_WARNING, SD_INFO and SD_DEBUG. */
    static int priority(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        String prefix = "<" + priority(event.getLevel()) + ">";
        StringBuilder out = new StringBuilder(prefix.length() + 128);
        appendLines(out, prefix, shortName(event.getLoggerName()) + ": " + event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) appendLines(out, prefix, ThrowableProxyUtil.asString(thrown));
        return out.toString();
    }

    private static void appendLines(StringBuilder out, String prefix, String text) {
        for (String line : text.split("\r?\n")) out.append(prefix).append(line).append('\n');
    }

    /** The class name without its package, as the console pattern's %logger{0}. */
    private static String shortName(String loggerName) {
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
