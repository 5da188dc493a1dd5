package io.causeway.daemon.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** $NOTIFY_SOCKET to sockaddr_un, as unix(7) lays it out on Linux. */
class NotifySocketAddressTest {
    @Test
    void pathIsNulTerminatedAfterTheFamily() {
        byte[] a = NotifySocketAddress.encode("/run/systemd/notify").orElseThrow();
        assertThat(a).hasSize(2 + "/run/systemd/notify".length() + 1);
        assertThat(ByteBuffer.wrap(a).order(ByteOrder.nativeOrder()).getShort(0)).isEqualTo((short) 1);
        assertThat(new String(a, 2, a.length - 3, StandardCharsets.UTF_8)).isEqualTo("/run/systemd/notify");
        assertThat(a[a.length - 1]).isZero();
    }

    @Test
    void abstractNameStartsWithNulAndHasNoTerminator() {
        byte[] a = NotifySocketAddress.encode("@/org/freedesktop/systemd1/notify/1").orElseThrow();
        assertThat(a).hasSize(2 + 1 + "/org/freedesktop/systemd1/notify/1".length());
        assertThat(a[2]).isZero();
        assertThat(new String(a, 3, a.length - 3, StandardCharsets.UTF_8)).isEqualTo("/org/freedesktop/systemd1/notify/1");
    }

    @Test
    void whatCannotBeReachedIsEmpty() {
        assertThat(NotifySocketAddress.encode(null)).isEmpty();
        assertThat(NotifySocketAddress.encode("")).isEmpty();
        assertThat(NotifySocketAddress.encode("@")).isEmpty();
        assertThat(NotifySocketAddress.encode("relative/notify")).isEmpty();
        assertThat(NotifySocketAddress.encode("vsock:2:1234")).isEmpty();
    }

    @Test
    void sunPathHolds107BytesAndItsNul() {
        String longest = "/" + "a".repeat(106);
        assertThat(NotifySocketAddress.encode(longest)).get().satisfies(a -> assertThat(a).hasSize(110));
        assertThat(NotifySocketAddress.encode(longest + "a")).isEmpty();
        assertThat(NotifySocketAddress.encode("@" + "a".repeat(107))).isPresent();
        assertThat(NotifySocketAddress.encode("@" + "a".repeat(108))).isEmpty();
    }
}
