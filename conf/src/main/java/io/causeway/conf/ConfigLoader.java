package io.causeway.conf;

import io.causeway.conf.connection.ConnKeys;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.ConnectionBuilder;
import io.causeway.conf.parse.Inheritance;
import io.causeway.conf.parse.IpsecConfParser;
import io.causeway.conf.parse.LineSource;
import io.causeway.conf.parse.Section;
import io.causeway.conf.parse.SectionSet;
import io.causeway.conf.parse.Setting;
import io.causeway.conf.secrets.Secrets;
import io.causeway.conf.secrets.SecretsParser;
import io.causeway.conf.validate.ConnectionChecks;
import io.causeway.conf.validate.PeerOverlapCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads and validates ipsec.conf and ipsec.secrets, collecting every problem instead of stopping at the first. */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** ipsecSecrets may be null or missing; PSK connections then report that they have no secret. */
    public static LoadResult load(Path ipsecConf, Path ipsecSecrets) {
        Diagnostics diagnostics = new Diagnostics();
        SectionSet sections = SectionSet.of(IpsecConfParser.parse(LineSource.read(ipsecConf, diagnostics), diagnostics), diagnostics);
        checkKeys(sections, diagnostics);

        boolean secretsPresent = ipsecSecrets != null && Files.exists(ipsecSecrets);
        Secrets secrets = secretsPresent ? SecretsParser.parse(ipsecSecrets, diagnostics) : Secrets.empty();

        Inheritance inheritance = new Inheritance(sections.conns(), diagnostics);
        ConnectionChecks checks = new ConnectionChecks(diagnostics, secrets, ipsecSecrets, secretsPresent);
        List<Connection> connections = new ArrayList<>();
        for (Section section : sections.conns().values()) {
            if (section.name().equals(Inheritance.DEFAULT_CONN)) {
                continue;
            }
            Connection c = ConnectionBuilder.build(section.name(), section.location(), inheritance.resolve(section.name()), diagnostics);
            checks.check(c);
            connections.add(c);
        }
        PeerOverlapCheck.check(connections.stream().filter(c -> !c.ignored()).toList(), diagnostics);

        Config config = new Config(setup(sections.setup()), connections, secrets);
        return new LoadResult(config, diagnostics.errors(), diagnostics.warnings());
    }

    /** Each key is judged once, where it is written, not once per conn inheriting it. */
    private static void checkKeys(SectionSet sections, Diagnostics diagnostics) {
        for (Section conn : sections.conns().values()) {
            for (Setting s : conn.settings()) {
                switch (ConnKeys.status(s.key())) {
                    case IMPLEMENTED -> { }
                    case NOT_IMPLEMENTED -> diagnostics.error(s.location().file(), s.location().line(), s.key(),
                            "recognized strongSwan setting, but not implemented by Causeway; remove it");
                    case OBSOLETE -> diagnostics.warning(s.location().file(), s.location().line(), s.key(),
                            "obsolete strongSwan setting, ignored as strongSwan 5 ignores it");
                    case UNKNOWN -> diagnostics.error(s.location().file(), s.location().line(), s.key(),
                            "unknown key in conn " + conn.name());
                }
            }
        }
        Section setup = sections.setup();
        if (setup == null) {
            return;
        }
        for (Setting s : setup.settings()) {
            var allowed = SetupSection.ALLOWED_VALUES.get(s.key());
            if (SetupSection.OBSOLETE.contains(s.key())) {
                diagnostics.warning(s.location().file(), s.location().line(), s.key(),
                        "obsolete strongSwan setting, ignored as strongSwan 5 ignores it");
            } else if (!SetupSection.KNOWN.contains(s.key())) {
                diagnostics.error(s.location().file(), s.location().line(), s.key(), "unknown key in config setup (allowed: "
                        + String.join(", ", SetupSection.KNOWN.stream().sorted().toList()) + ")");
            } else if (allowed != null && !s.isReset() && !allowed.contains(s.value())) {
                diagnostics.error(s.location().file(), s.location().line(), s.key(), "unknown value '" + s.value()
                        + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            } else if (s.key().equals("metrics") && !s.isReset() && !SetupSection.validMetricsAddress(s.value())) {
                diagnostics.error(s.location().file(), s.location().line(), s.key(), "'" + s.value()
                        + "' is not HOST:PORT (e.g. 127.0.0.1:9813, [::1]:9813)");
            }
        }
    }

    private static SetupSection setup(Section section) {
        Map<String, String> values = new LinkedHashMap<>();
        if (section != null) {
            for (Setting s : section.settings()) {
                if (SetupSection.KNOWN.contains(s.key())) {
                    if (s.isReset()) {
                        values.remove(s.key());
                    } else {
                        values.put(s.key(), s.value());
                    }
                }
            }
        }
        return new SetupSection(values);
    }
}
