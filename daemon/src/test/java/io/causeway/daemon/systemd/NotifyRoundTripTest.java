package io.causeway.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Real datagrams to a Unix socket this test binds where systemd's notify socket would be. A
 * datagram on a Unix socket is queued at the receiver when sendto returns, so each receive right
 * after a send finds it, or proves nothing was sent.
 */
class NotifyRoundTripTest {
    @TempDir Path dir;

    @Test
    void readyStatusAndStoppingReachAPathSocket() throws Exception {
        try (NotifyListener systemd = NotifyListener.bind(dir.resolve("notify").toString())) {
            SdNotify notify = SdNotify.to(systemd.address());
            assertThat(notify.enabled()).isTrue();

            notify.ready("2 tunnels, 0 connected");
            assertThat(systemd.receive()).contains("READY=1\nSTATUS=2 tunnels, 0 connected");
            notify.status("2 tunnels, 1 connected");
            assertThat(systemd.receive()).contains("STATUS=2 tunnels, 1 connected");
            notify.stopping();
            assertThat(systemd.receive()).contains("STOPPING=1");
            assertThat(systemd.receive()).isEmpty();
        }
    }

    @Test
    void abstractNamespaceSocket() throws Exception {
        String name = "@causeway-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyListener systemd = NotifyListener.bind(name)) {
            SdNotify.to(name).ready("1 tunnel, 1 connected");
            assertThat(systemd.receive()).contains("READY=1\nSTATUS=1 tunnel, 1 connected");
        }
    }

    @Test
    void statusIsSentOnlyWhenItChanges() throws Exception {
        try (NotifyListener systemd = NotifyListener.bind(dir.resolve("notify").toString())) {
            AtomicReference<String> line = new AtomicReference<>("1 tunnel, 0 connected");
            StatusReporter reporter = new StatusReporter(SdNotify.to(systemd.address()), line::get, "1 tunnel, 0 connected");

            reporter.report();
            assertThat(systemd.receive()).as("same as the line sent with READY=1").isEmpty();
            line.set("1 tunnel, 1 connected");
            reporter.report();
            assertThat(systemd.receive()).contains("STATUS=1 tunnel, 1 connected");
            reporter.report();
            assertThat(systemd.receive()).isEmpty();
        }
    }

    @Test
    void aLineThatCannotBeHadKeepsTheLastOne() throws Exception {
        try (NotifyListener systemd = NotifyListener.bind(dir.resolve("notify").toString())) {
            StatusReporter reporter = new StatusReporter(SdNotify.to(systemd.address()), () -> {
                throw new IllegalStateException("control loop closed");
            }, "1 tunnel, 1 connected");
            reporter.report();
            assertThat(systemd.receive()).isEmpty();
        }
    }

    @Test
    void withoutNotifySocketNothingIsSentAndNothingFails() {
        SdNotify none = SdNotify.to(null);
        assertThat(none.enabled()).isFalse();
        none.ready("x");
        none.stopping();
        assertThat(SdNotify.to("vsock:2:9").enabled()).isFalse();
    }

    @Test
    void aSocketNobodyListensOnIsLoggedNotThrown() {
        Logger logger = (Logger) LoggerFactory.getLogger(SdNotify.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            SdNotify.to(dir.resolve("nobody").toString()).ready("x"); // ENOENT: the daemon goes on
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("cannot notify systemd", "No such file or directory");
        });
    }
}
