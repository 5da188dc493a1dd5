package io.causeway.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Per-connection log levels (`causeway log-level LEVEL NAME`): a message about a connection with its own level is
 * logged when it is at least that level, whatever the logger's level, and dropped otherwise; every other message
 * is left to the loggers.
 *
 * <p>Which connection a message is about: the MDC key {@value #CONNECTION_KEY} when set, else the gateway's
 * convention of starting a connection's messages with its name, {@code log.info("{}: CHILD_SA up", name)}. The
 * convention needs nothing around the log calls, and the control thread, where those messages come from, serves
 * many connections in turn.
 */
public final class ConnectionLogFilter extends TurboFilter {
    /** MDC key naming the connection of the messages logged while it is set. */
    public static final String CONNECTION_KEY = "conn";
    private static final String NAME_FIRST = "{}:";

    /** Replaced whole on change: the filter runs on every log call of every thread. */
    private volatile Map<String, Level> levels = Map.of();

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        Map<String, Level> current = levels;
        if (current.isEmpty() || level == null) {
            return FilterReply.NEUTRAL;
        }
        String connection = connectionOf(format, params);
        // immutable maps throw on a null key: most messages are about no connection
        Level wanted = connection == null ? null : current.get(connection);
        if (wanted == null) {
            return FilterReply.NEUTRAL;
        }
        return level.isGreaterOrEqual(wanted) ? FilterReply.ACCEPT : FilterReply.DENY;
    }

    private static String connectionOf(String format, Object[] params) {
        String fromMdc = MDC.get(CONNECTION_KEY);
        if (fromMdc != null) {
            return fromMdc;
        }
        if (format != null && format.startsWith(NAME_FIRST) && params != null && params.length > 0
                && params[0] instanceof String name) {
            return name;
        }
        return null;
    }

    synchronized void set(String connection, Level level) {
        Map<String, Level> next = new HashMap<>(levels);
        next.put(connection, level);
        levels = Map.copyOf(next);
    }

    synchronized void clear() {
        levels = Map.of();
    }

    /** The per-connection levels now in force. */
    Map<String, Level> levels() {
        return levels;
    }
}
