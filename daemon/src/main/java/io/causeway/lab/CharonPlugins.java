package io.causeway.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether charon loaded every plugin the lab configures. charon names what it loaded on one line at start
 * ({@code loaded plugins: random nonce ...}) and only warns about the rest ({@code plugin 'gcm': failed to
 * load}), so a missing package otherwise shows up much later as IKE failures such as "configured DH group
 * ECP_256 not supported". The Debian package of each plugin is named, because the cure is to install it.
 */
public final class CharonPlugins {
    /** Which Debian 12 package ships each plugin the lab loads (dpkg -S /usr/lib/ipsec/plugins/...). */
    private static final Map<String, String> PACKAGE = Map.ofEntries(
            Map.entry("openssl", "libstrongswan-standard-plugins"),
            Map.entry("gcm", "libstrongswan-standard-plugins"),
            Map.entry("kernel-libipsec", "libcharon-extra-plugins"),
            Map.entry("socket-default", "strongswan-libcharon"),
            Map.entry("vici", "strongswan-swanctl"),
            Map.entry("stroke", "strongswan-starter"));
    private static final String LOADED = "loaded plugins: ";

    private CharonPlugins() {
    }

    /** The Debian package that ships plugin NAME; the plugins not listed come with libstrongswan. */
    public static String debianPackage(String plugin) {
        return PACKAGE.getOrDefault(plugin, "libstrongswan");
    }

    /** The plugins of charon's "loaded plugins:" line in this log, or empty while charon has not written it. */
    public static Optional<Set<String>> loaded(String charonLog) {
        for (String line : charonLog.split("\n")) {
            int at = line.indexOf(LOADED);
            if (at >= 0) {
                return Optional.of(new LinkedHashSet<>(Arrays.asList(line.substring(at + LOADED.length()).strip().split("\\s+"))));
            }
        }
        return Optional.empty();
    }

    /** The wanted plugins (a strongswan.conf load line) that are not in loaded, in the order wanted. */
    public static List<String> missing(String wanted, Set<String> loaded) {
        List<String> missing = new ArrayList<>();
        for (String plugin : wanted.strip().split("\\s+")) {
            if (!loaded.contains(plugin)) {
                missing.add(plugin);
            }
        }
        return missing;
    }

    /**
     * One line that says what is missing and what to install, e.g. "charon did not load plugins openssl, gcm:
     * apt-get install libstrongswan-standard-plugins (scripts/test installs it)".
     */
    public static String describe(List<String> missing) {
        Set<String> packages = new TreeSet<>();
        missing.forEach(p -> packages.add(debianPackage(p)));
        return "charon did not load " + (missing.size() == 1 ? "plugin " : "plugins ") + String.join(", ", missing)
                + ": apt-get install " + String.join(" ", packages) + " (scripts/test installs "
                + (packages.size() == 1 ? "it" : "them") + ")";
    }
}
