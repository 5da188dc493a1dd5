package io.causeway.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** $JOURNAL_STREAM names the stream by device and inode; only that very stream counts. */
class JournalStreamTest {
    @TempDir Path dir;

    private static String devIno(Path p) throws IOException {
        return Files.getAttribute(p, "unix:dev") + ":" + Files.getAttribute(p, "unix:ino");
    }

    @Test
    void theStreamNamedIsTheJournal() throws IOException {
        Path stream = Files.createFile(dir.resolve("stream"));
        assertThat(JournalStream.isJournal(devIno(stream), stream)).isTrue();
    }

    @Test
    void anotherStreamWithTheVariableInheritedIsNot() throws IOException {
        Path journal = Files.createFile(dir.resolve("journal"));
        Path redirected = Files.createFile(dir.resolve("redirected"));
        assertThat(JournalStream.isJournal(devIno(journal), redirected)).isFalse();
    }

    @Test
    void unsetOrMalformedIsNot() throws IOException {
        Path stream = Files.createFile(dir.resolve("stream"));
        assertThat(JournalStream.isJournal(null, stream)).isFalse();
        assertThat(JournalStream.isJournal("", stream)).isFalse();
        assertThat(JournalStream.isJournal("12345", stream)).isFalse();
        assertThat(JournalStream.isJournal("a:b", stream)).isFalse();
        assertThat(JournalStream.isJournal(devIno(stream), dir.resolve("missing"))).isFalse();
    }

    @Test
    void theJournalConfigurationIsOnTheClassPath() {
        assertThat(JournalStream.class.getClassLoader().getResource(JournalStream.LOGBACK_CONFIGURATION)).isNotNull();
    }
}
