package io.causeway.conf.parse;

import io.causeway.conf.Diagnostics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of a file grouped by kind. Sections of the same kind and name are merged, as strongSwan
 * does; a key set twice within one conn is flagged, since the second value silently wins.
 */
public final class SectionSet {
    private final Map<String, Section> conns = new LinkedHashMap<>();
    private Section setup;

    public static SectionSet of(List<Section> sections, Diagnostics diagnostics) {
        SectionSet set = new SectionSet();
        for (Section section : sections) {
            switch (section.kind()) {
                case CA -> diagnostics.error(section.location().file(), section.location().line(), null,
                        "'ca " + section.name() + "': ca sections are not implemented (certificates are not supported)");
                case CONFIG -> set.setup = merge(set.setup, section, diagnostics);
                case CONN -> set.conns.put(section.name(), merge(set.conns.get(section.name()), section, diagnostics));
            }
        }
        return set;
    }

    private static Section merge(Section existing, Section next, Diagnostics diagnostics) {
        Section target = existing;
        if (target == null) {
            target = new Section(next.kind(), next.name(), next.location());
        }
        Map<String, Setting> seen = new HashMap<>();
        for (Setting s : target.settings()) {
            seen.put(s.key(), s);
        }
        for (Setting s : next.settings()) {
            Setting earlier = seen.get(s.key());
            if (earlier != null && !s.key().equals("also")) {
                diagnostics.warning(s.location().file(), s.location().line(), s.key(), "set again in " + next.label()
                        + " (first at " + earlier.location() + "); this later value wins");
            }
            seen.put(s.key(), s);
            target.add(s);
        }
        return target;
    }

    /** Conn sections by name, %default included, in file order. */
    public Map<String, Section> conns() {
        return conns;
    }

    /** The merged config setup section, or null if the file has none. */
    public Section setup() {
        return setup;
    }
}
