package io.causeway.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sd_notify(3) assignments, one per line. */
class NotifyMessageTest {
    @Test
    void readyCarriesTheFirstStatusLine() {
        assertThat(NotifyMessage.ready("3 tunnels, 2 connected")).isEqualTo("READY=1\nSTATUS=3 tunnels, 2 connected");
    }

    @Test
    void statusAndStopping() {
        assertThat(NotifyMessage.status("1 tunnel, 0 connected")).isEqualTo("STATUS=1 tunnel, 0 connected");
        assertThat(NotifyMessage.stopping()).isEqualTo("STOPPING=1");
    }

    @Test
    void aNewlineInTheStatusCannotStartAnotherAssignment() {
        assertThat(NotifyMessage.status("bad\nMAINPID=1\r\nx\ry")).isEqualTo("STATUS=bad MAINPID=1 x y");
    }
}
