package io.causeway.conf;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config setup section: daemon-wide settings, kept as written. */
public final class SetupSection {
    static final Set<String> KNOWN = Set.of("charondebug", "uniqueids", "strictcrlpolicy", "cachecrls", "metrics");
    /** Pluto-era keys strongSwan 5 still accepts and ignores. */
    static final Set<String> OBSOLETE = Set.of("charonstart", "plutostart", "plutodebug", "nat_traversal",
            "interfaces", "dumpdir", "crlcheckinterval", "keep_alive", "force_keepalive", "virtual_private");
    static final Map<String, Set<String>> ALLOWED_VALUES = Map.of(
            "uniqueids", Set.of("yes", "no", "never", "replace", "keep"),
            "strictcrlpolicy", Set.of("yes", "no", "ifuri"),
            "cachecrls", Set.of("yes", "no"));

    /** Causeway's own key: HOST:PORT of the Prometheus endpoint, an IPv6 host in brackets. */
    private static final Pattern METRICS_ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s:\\[\\]]+):([0-9]{1,5})");

    private final Map<String, String> settings;

    SetupSection(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    public static SetupSection empty() {
        return new SetupSection(Map.of());
    }

    public Optional<String> charonDebug() {
        return Optional.ofNullable(settings.get("charondebug"));
    }

    /** yes (default), no, never, replace or keep. */
    public String uniqueIds() {
        return settings.getOrDefault("uniqueids", "yes");
    }

    public String strictCrlPolicy() {
        return settings.getOrDefault("strictcrlpolicy", "no");
    }

    public boolean cacheCrls() {
        return "yes".equals(settings.get("cachecrls"));
    }

    /** Where the Prometheus endpoint listens (HOST:PORT); empty: no endpoint, unless the daemon's option asks. */
    public Optional<String> metrics() {
        return Optional.ofNullable(settings.get("metrics"));
    }

    static boolean validMetricsAddress(String value) {
        Matcher m = METRICS_ADDRESS.matcher(value);
        if (!m.matches()) return false;
        int port = Integer.parseInt(m.group(2));
        return port >= 1 && port <= 65535;
    }

    public Map<String, String> settings() {
        return settings;
    }
}
