package io.causeway.daemon.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is connected to the journal. systemd sets $JOURNAL_STREAM to the device and
 * inode of the stream it connected ("dev:inode", systemd.exec(5)); a child whose stderr was
 * redirected inherits the variable, so the descriptor itself is compared, as sd-daemon(3) advises.
 */
public final class JournalStream {
    /** The logback configuration for the journal, a resource of this jar. */
    static final String LOGBACK_CONFIGURATION = "logback-journal.xml";

    private JournalStream() {}

    /**
     * Makes logback use journald's format ({@link JournalLayout}) when stderr is the journal; must
     * run before the first logger is created. An explicit -Dlogback.configurationFile wins.
     */
    public static void configureLogging() {
        if (System.getProperty("logback.configurationFile") != null) return;
        if (isJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"))) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
    }

    /** Whether {@code stream} (a /proc/self/fd link, or any file) is what {@code journalStream} names. */
    static boolean isJournal(String journalStream, Path stream) {
        if (journalStream == null) return false;
        int colon = journalStream.indexOf(':');
        if (colon < 0) return false;
        try {
            long dev = Long.parseUnsignedLong(journalStream.substring(0, colon));
            long ino = Long.parseUnsignedLong(journalStream.substring(colon + 1));
            // following the link stats the open socket or file itself
            return (Long) Files.getAttribute(stream, "unix:dev") == dev && (Long) Files.getAttribute(stream, "unix:ino") == ino;
        } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
