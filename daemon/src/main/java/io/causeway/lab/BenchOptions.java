package io.causeway.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
  * The command line options every lab benchmark takes: {@code --only strongswan|causeway},
  * {@code --jar PATH} and {@code --keep-logs}. A benchmark parses its own options first and hands
  * anything else to {@link #parse}. A benchmark with more parts names them when it creates its
  * options ({@link #BenchOptions(String...)}); {@code --only} then takes any of them, or several
  * separated by commas.
  */
final class BenchOptions {
    boolean strongSwan = true;
    boolean causeway = true;
    boolean keepLogs;
    /** null: Causeway is located when its part starts. */
    CausewayLauncher launcher;
    private final Set<String> parts = new LinkedHashSet<>(List.of("strongswan", "causeway"));
    /** The parts --only named, empty when it was not given (everything runs). */
    private final Set<String> only = new LinkedHashSet<>();

    BenchOptions(String... moreParts) {
        parts.addAll(List.of(moreParts));
    }

    /** Whether the named part runs: every part does unless --only left it out. */
    boolean runs(String part) {
        return only.isEmpty() || only.contains(part);
    }

    /** "strongswan|causeway|...", for a usage line. */
    String partsUsage() {
        return String.join("|", parts);
    }

    /**
      * Takes the option at args[i] and its value; returns the index of the last argument used.
      * Anything else is a usage error: prints usage and exits with 2.
      */
    int parse(String[] args, int i, String usage) {
        switch (args[i]) {
            case "--only" -> {
                List<String> named = new ArrayList<>();
                for (String part : args[++i].split(",")) {
                    named.add(part.strip().toLowerCase(Locale.ROOT));
                }
                if (!parts.containsAll(named)) {
                    System.err.println("--only takes " + partsUsage() + " (several separated by commas)");
                    System.err.println("usage: " + usage);
                    System.exit(2);
                }
                only.clear();
                only.addAll(named);
                strongSwan = runs("strongswan");
                causeway = runs("causeway");
            }
            case "--jar" -> launcher = new CausewayLauncher(CausewayLauncher.locateJava(), Path.of(args[++i]),
                    List.of());
            case "--keep-logs" -> keepLogs = true;
            default -> {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
        }
        return i;
    }
}
