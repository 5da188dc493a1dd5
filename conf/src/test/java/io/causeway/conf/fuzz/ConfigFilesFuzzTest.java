package io.causeway.conf.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.conf.ConfigLoader;
import io.causeway.conf.LoadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * ipsec.conf and ipsec.secrets as a user writes them (or a cloud console generates them): the input is the
 * ipsec.conf text, a NUL byte, then the ipsec.secrets text. Contract: loading never throws; every problem ends
 * as a diagnostic with a source location.
 */
class ConfigFilesFuzzTest {
    private static final Path DIR = temporaryDirectory();

    @FuzzTest
    void loadNeverThrows(byte[] input) throws IOException {
        int split = indexOfNul(input);
        Path conf = DIR.resolve("ipsec.conf");
        Path secrets = DIR.resolve("ipsec.secrets");
        Files.write(conf, Arrays.copyOfRange(input, 0, split));
        Files.write(secrets, split < input.length ? Arrays.copyOfRange(input, split + 1, input.length) : new byte[0]);
        LoadResult result = ConfigLoader.load(conf, secrets);
        assertThat(result).isNotNull();
        assertThat(result.ok() || !result.errors().isEmpty()).as("a refused config says why").isTrue();
    }

    private static int indexOfNul(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == 0) {
                return i;
            }
        }
        return input.length;
    }

    /**
     * In memory where the machine has it (tmpfs): rewriting the same two files on ext4 makes every open wait for the
     * truncated blocks (auto_da_alloc), which held the target to ~170 runs/s.
     */
    private static Path temporaryDirectory() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "conf-fuzz")
                    : Files.createTempDirectory("conf-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.list(dir)) {
                    files.forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: a temporary directory
                }
                dir.toFile().delete();
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
