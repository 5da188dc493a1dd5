package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmOptionsTest {
    /** Surefire runs in the module's directory. */
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @Test
    void argumentFileWithCommentsAndBlankLines() {
        assertThat(JvmOptions.parse("""
            # heading
            -Xmx96m   # trailing words
              -XX:+UseSerialGC
            
            -Xss512k -XX:ReservedCodeCacheSize=32m
            """)).containsExactly("-Xmx96m", "-XX:+UseSerialGC", "-Xss512k", "-XX:ReservedCodeCacheSize=32m");
        assertThat(JvmOptions.parse("# nothing but a comment\n")).isEmpty();
    }

    @Test
    void environmentWordsSplitAsTheShellDoes() {
        assertThat(JvmOptions.split("  -Xmx1g\t-Dx=y ")).containsExactly("-Xmx1g", "-Dx=y");
        assertThat(JvmOptions.split(null)).isEmpty();
        assertThat(JvmOptions.split(" ")).isEmpty();
    }

    @Test
    void readsTheDefaultsOutOfAJar(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("causeway.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry(JvmOptions.RESOURCE));
            zip.write("# test\n-Xmx42m\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path old = dir.resolve("old.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(old))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.closeEntry();
        }

        assertThat(JvmOptions.inJar(jar)).containsExactly("-Xmx42m");
        assertThat(JvmOptions.inJar(old)).isEmpty();
    }

    /** The build copies packaging/jvm.options into the jar; a pom that lost the copy would start the lab's daemons bare. */
    @Test
    void theBuildCarriesPackagingJvmOptions() throws IOException {
        String file = Files.readString(REPOSITORY.resolve("packaging/jvm.options"));
        try (InputStream resource = JvmOptions.class.getClassLoader().getResourceAsStream(JvmOptions.RESOURCE)) {
            assertThat(resource).isNotNull();
            assertThat(new String(resource.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(file);
        }
    }

    /**
      * Both launcher scripts pass the one file before $CAUSEWAY_JAVA_OPTS (so an option there wins), and the
      * package installs the file where the installed launcher looks for it.
      */
    @Test
    void launcherScriptsUseTheFileBeforeTheEnvironment() throws IOException {
        assertThat(Files.readAllLines(REPOSITORY.resolve("causeway")))
                .contains("exec java @\"$top/packaging/jvm.options\" ${CAUSEWAY_JAVA_OPTS:-} -jar \"$jar\" \"$@\"");
        assertThat(Files.readAllLines(REPOSITORY.resolve("packaging/launcher"))).contains("exec java"
                + " @/usr/share/causeway/jvm.options ${CAUSEWAY_JAVA_OPTS:-} -jar /usr/share/causeway/causeway.jar \"$@\"");
        assertThat(Files.readAllLines(REPOSITORY.resolve("packaging/build-deb")))
                .contains("install -D -m 0644 \"$here/jvm.options\" \"$stage/usr/share/causeway/jvm.options\"");
        List<String> unit = Files.readAllLines(REPOSITORY.resolve("packaging/causeway.service"));
        assertThat(unit).contains("ExecStart=/usr/sbin/causeway daemon");
    }
}
