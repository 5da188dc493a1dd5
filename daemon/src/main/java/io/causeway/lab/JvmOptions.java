package io.causeway.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
  * The JVM options the launcher scripts give Causeway: {@code packaging/jvm.options} (a java
  * argument file; the build puts a copy into the jar as {@value #RESOURCE}), then
  * {@code $CAUSEWAY_JAVA_OPTS}, whose later options win. The lab reads both, so a daemon it starts
  * runs as the installed one does.
  */
public final class JvmOptions {
    public static final String RESOURCE = "causeway/jvm.options";
    public static final String ENVIRONMENT = "CAUSEWAY_JAVA_OPTS";

    private JvmOptions() {}

    /** The jar's defaults followed by $CAUSEWAY_JAVA_OPTS, as {@code java @jvm.options $CAUSEWAY_JAVA_OPTS}. */
    public static List<String> forJar(Path jar) {
        List<String> options = new ArrayList<>(inJar(jar));
        options.addAll(split(System.getenv(ENVIRONMENT)));
        return List.copyOf(options);
    }

    /** The defaults built into jar; none for a jar from before they existed. */
    public static List<String> inJar(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(RESOURCE);
            if (entry == null) {
                return List.of();
            }
            return parse(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LabException("cannot read " + RESOURCE + " from " + jar, e);
        }
    }

    /** The options of an argument file that keeps to white space and # comments (no quotes). */
    public static List<String> parse(String argfile) {
        List<String> options = new ArrayList<>();
        for (String line : argfile.split("\n")) {
            int comment = line.indexOf('#');
            options.addAll(split(comment < 0 ? line : line.substring(0, comment)));
        }
        return List.copyOf(options);
    }

    /** Words as an unquoted shell expansion splits them; none for null. */
    public static List<String> split(String words) {
        if (words == null || words.isBlank()) {
            return List.of();
        }
        return List.of(words.strip().split("\\s+"));
    }
}
