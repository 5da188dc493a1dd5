package io.causeway.lab;

import java.nio.file.Path;
import java.util.List;

/**
  * The command line options every lab benchmark takes: {@code --only strongswan|causeway},
  * {@code --jar PATH} and {@code --keep-logs}. A benchmark parses its own options first and hands
  * anything else to {@link #parse}.
  */
final class BenchOptions {
    boolean strongSwan = true;
    boolean causeway = true;
    boolean keepLogs;
    /** null: Causeway is located when its part starts. */
    CausewayLauncher launcher;

    /**
      * Takes the option at args[i] and its value; returns the index of the last argument used.
      * Anything else is a usage error: prints usage and exits with 2.
      */
    int parse(String[] args, int i, String usage) {
        switch (args[i]) {
            case "--only" -> {
                String which = args[++i];
                strongSwan = which.equalsIgnoreCase("strongswan");
                causeway = which.equalsIgnoreCase("causeway");
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
