package io.causeway.esp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real loader, not a stand-in: ACCP's own switch useExternalLib skips the library in its jar, and with none on
 * the system path INSTANCE comes up with a loading error, as on a host the bundled library does not fit.
 */
class AccpFallbackProcessTest {

    @Test
    void aJvmWhereTheLibraryDoesNotLoadRunsOnJceAndWarnsOnce() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true",
                "-cp", System.getProperty("java.class.path"), AccpFallbackMain.class.getName())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();

        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines).filteredOn(l -> l.contains("Amazon Corretto Crypto Provider unavailable")).singleElement().asString()
                .startsWith("WARN").contains("AccpAvailability")
                .contains("Skipping bundled library due to system property");
        assertThat(lines).contains("aes128gcm16 opened=NONE", "aes256-sha1 opened=NONE", "provider=SunJCE");
    }
}
