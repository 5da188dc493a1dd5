package io.causeway.conf.parse;

import io.causeway.conf.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/** A section header and the settings under it, in file order. */
public final class Section {
    private final SectionKind kind;
    private final String name;
    private final SourceLocation location;
    private final List<Setting> settings = new ArrayList<>();

    public Section(SectionKind kind, String name, SourceLocation location) {
        this.kind = kind;
        this.name = name;
        this.location = location;
    }

    public SectionKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public SourceLocation location() {
        return location;
    }

    public List<Setting> settings() {
        return settings;
    }

    void add(Setting setting) {
        settings.add(setting);
    }

    public String label() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name;
    }
}
