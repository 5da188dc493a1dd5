package io.causeway.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
  * The command line options every lab benchmark takes: {@code --only strongswan|causeway},
  * {@code --jar PATH}, {@code --jvm-options "OPTIONS"} (instead of the launcher's, see
  * {@link JvmOptions}; {@code ""} runs Causeway with the JVM's own defaults) and {@code --keep-logs}.
  * A benchmark parses its own options first and hands anything else to {@link #parse}. A benchmark
  * with more parts names them when it creates its options ({@link #BenchOptions(String...)});
  * {@code --only} then takes any of them, or several separated by commas.
  */
final class BenchOptions {
    boolean strongSwan = true;
    boolean causeway = true;
    boolean keepLogs;
    private Path jar;
    /** null: the launcher's options. */
    private List<String> jvmOptions;
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
      * How to run Causeway as --jar and --jvm-options asked; null when neither was given, so that
      * Causeway is located only once a part needs it (a strongSwan-only run needs no jar).
      */
    CausewayLauncher launcher() {
        if (jar == null && jvmOptions == null) {
            return null;
        }
        CausewayLauncher launcher = jar != null ? CausewayLauncher.forJar(jar) : CausewayLauncher.locate();
        return jvmOptions != null ? launcher.withJvmOptions(jvmOptions) : launcher;
    }

    /** The usage words of the options every benchmark shares. */
    static String commonUsage() {
        return "[--jar PATH] [--jvm-options \"OPTIONS\"] [--keep-logs]";
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
            case "--jar" -> jar = Path.of(args[++i]);
            case "--jvm-options" -> jvmOptions = JvmOptions.split(args[++i]);
            case "--keep-logs" -> keepLogs = true;
            default -> {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
        }
        return i;
    }
}
