package io.causeway.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
  * Finds how to run Causeway: the java binary of this JVM, causeway.jar and the JVM options the
  * launcher scripts use ({@link JvmOptions}: the jar's defaults, then $CAUSEWAY_JAVA_OPTS).
  * Override java and jar with the system properties causeway.java / causeway.jar or the
  * environment variables CAUSEWAY_JAVA / CAUSEWAY_JAR.
  */
public record CausewayLauncher(Path java, Path jar, List<String> jvmOptions) {

    public static CausewayLauncher locate() {
        return forJar(locateJar());
    }

    /** This JVM's java running jar with the options the launcher scripts would give it. */
    public static CausewayLauncher forJar(Path jar) {
        return new CausewayLauncher(locateJava(), jar, JvmOptions.forJar(jar));
    }

    public CausewayLauncher withJvmOptions(List<String> options) {
        return new CausewayLauncher(java, jar, List.copyOf(options));
    }

    /** {@code java [options] -jar causeway.jar ARGS}. */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    static Path locateJava() {
        String override = override("causeway.java", "CAUSEWAY_JAVA");
        if (override != null) {
            return Path.of(override);
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /**
      * The jar this class was loaded from (the bench runs from causeway.jar), or, when running from
      * target/classes or target/test-classes (tests), target/causeway.jar next to it.
      */
    static Path locateJar() {
        String override = override("causeway.jar", "CAUSEWAY_JAR");
        if (override != null) {
            return requireFile(Path.of(override));
        }
        CodeSource source = CausewayLauncher.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            throw new LabException("cannot tell where Causeway's classes come from; set -Dcauseway.jar=PATH");
        }
        Path location;
        try {
            location = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new LabException("odd code source " + source.getLocation(), e);
        }
        if (Files.isRegularFile(location) && location.getFileName().toString().equals("causeway.jar")) {
            return location;
        }
        // target/classes, target/test-classes and target/causeway-daemon-*.jar all sit in target/
        return requireFile(location.getParent().resolve("causeway.jar"));
    }

    private static Path requireFile(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new LabException("no Causeway jar at " + jar
                    + " (build it with mvn package, or set -Dcauseway.jar=PATH / CAUSEWAY_JAR)");
        }
        return jar;
    }

    private static String override(String property, String variable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
