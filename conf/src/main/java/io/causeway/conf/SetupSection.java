package io.causeway.conf;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The config setup section: daemon-wide settings, kept as written. */
public final class SetupSection {
    static final Set<String> KNOWN = Set.of("charondebug", "uniqueids", "strictcrlpolicy", "cachecrls");
    /** Pluto-era keys strongSwan 5 still accepts and ignores. */
    static final Set<String> OBSOLETE = Set.of("charonstart", "plutostart", "plutodebug", "nat_traversal",
            "interfaces", "dumpdir", "crlcheckinterval", "keep_alive", "force_keepalive", "virtual_private");
    static final Map<String, Set<String>> ALLOWED_VALUES = Map.of(
            "uniqueids", Set.of("yes", "no", "never", "replace", "keep"),
            "strictcrlpolicy", Set.of("yes", "no", "ifuri"),
            "cachecrls", Set.of("yes", "no"));

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

    public Map<String, String> settings() {
        return settings;
    }
}
