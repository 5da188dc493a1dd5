package io.causeway.conf.parse;

import io.causeway.conf.Diagnostics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * strongSwan's conn inheritance: a conn's own settings override those of its also= sections (later
 * also= override earlier ones, recursively), which override conn %default. A reset (key=) counts as
 * a setting, so it overrides inherited values with the built-in default.
 */
public final class Inheritance {
    public static final String DEFAULT_CONN = "%default";

    private final Map<String, Section> conns;
    private final Diagnostics diagnostics;

    public Inheritance(Map<String, Section> conns, Diagnostics diagnostics) {
        this.conns = conns;
        this.diagnostics = diagnostics;
    }

    /** The effective settings of a conn, keyed by setting name, also= lines removed. */
    public Map<String, Setting> resolve(String name) {
        Map<String, Setting> result = new LinkedHashMap<>();
        Section defaults = conns.get(DEFAULT_CONN);
        if (defaults != null && !name.equals(DEFAULT_CONN)) {
            result.putAll(resolveOwn(defaults, new ArrayList<>()));
        }
        result.putAll(resolveOwn(conns.get(name), new ArrayList<>()));
        return result;
    }

    private Map<String, Setting> resolveOwn(Section section, List<String> chain) {
        Map<String, Setting> result = new LinkedHashMap<>();
        chain.add(section.name());
        for (Setting setting : section.settings()) {
            if (!setting.key().equals("also") || setting.isReset()) {
                continue;
            }
            String target = setting.value();
            Section parent = conns.get(target);
            if (parent == null || target.equals(DEFAULT_CONN)) {
                diagnostics.error(setting.location().file(), setting.location().line(), "also",
                        "no conn named '" + target + "' to inherit from");
            } else if (chain.contains(target)) {
                diagnostics.error(setting.location().file(), setting.location().line(), "also",
                        "inheritance cycle: " + String.join(" -> ", chain) + " -> " + target);
            } else {
                result.putAll(resolveOwn(parent, new ArrayList<>(chain)));
            }
        }
        for (Setting setting : section.settings()) {
            if (!setting.key().equals("also")) {
                result.put(setting.key(), setting);
            }
        }
        return result;
    }
}
