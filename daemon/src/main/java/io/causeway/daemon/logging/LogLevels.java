package io.causeway.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `log-level` control request: changes logback's levels while the daemon runs. Without a connection name the
 * root level changes and per-connection levels are dropped, so `log-level info` is always the way back to normal;
 * with one, only that connection's messages follow the new level ({@link ConnectionLogFilter}).
 */
public final class LogLevels {
    /** The levels the CLI accepts, lowest verbosity first. */
    public static final List<String> NAMES = List.of("error", "warn", "info", "debug", "trace");

    private final LoggerContext context;

    public LogLevels(LoggerContext context) {
        this.context = context;
    }

    /** The logback context slf4j logs through in this process. */
    public static LogLevels ofThisProcess() {
        return new LogLevels((LoggerContext) LoggerFactory.getILoggerFactory());
    }

    /**
     * Answers {@code {"cmd":"log-level","level":L[,"name":N]}}. known says whether N is a connection of the
     * configuration; an unknown one, like an unknown level, is a usage error (exit 1 in the CLI).
     */
    public Map<String, Object> handle(Map<String, Object> request, Predicate<String> known) {
        Object levelValue = request.get("level");
        Object name = request.get("name");
        String text = levelValue instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        if (text == null || !NAMES.contains(text)) {
            return usageError("unknown log level " + levelValue + " (allowed: " + String.join(", ", NAMES) + ")");
        }
        if (name != null && !(name instanceof String)) {
            return usageError("name must be a string");
        }
        Level level = Level.toLevel(text);
        if (name == null) {
            setAll(level);
        } else if (!known.test((String) name)) {
            return usageError("no connection named " + name);
        } else {
            setFor((String) name, level);
        }
        return answer();
    }

    /** Sets the root level and drops every per-connection level. */
    public void setAll(Level level) {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
        ConnectionLogFilter filter = existingFilter();
        if (filter != null) filter.clear();
    }

    /** Gives one connection's messages their own level. */
    public void setFor(String connection, Level level) {
        filter().set(connection, level);
    }

    private Map<String, Object> answer() {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", true);
        response.put("level", context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel().toString().toLowerCase(Locale.ROOT));
        Map<String, Object> connections = new TreeMap<>();
        ConnectionLogFilter filter = existingFilter();
        if (filter != null) {
            filter.levels().forEach((c, l) -> connections.put(c, l.toString().toLowerCase(Locale.ROOT)));
        }
        response.put("connections", connections);
        return response;
    }

    /** Installed on first use, so a daemon whose levels are never changed per connection pays nothing per log call. */
    private synchronized ConnectionLogFilter filter() {
        ConnectionLogFilter filter = existingFilter();
        if (filter == null) {
            filter = new ConnectionLogFilter();
            filter.setName("causeway-connection-levels");
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
        return filter;
    }

    private ConnectionLogFilter existingFilter() {
        for (TurboFilter f : context.getTurboFilterList()) {
            if (f instanceof ConnectionLogFilter c) return c;
        }
        return null;
    }

    private static Map<String, Object> usageError(String error) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("ok", false);
        response.put("error", error);
        response.put("usage_error", true);
        return response;
    }
}
