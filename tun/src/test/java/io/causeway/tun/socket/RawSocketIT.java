package io.causeway.tun.socket;

import static io.causeway.tun.netns.NetworkNamespace.isolated;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.tun.testing.Root;
import io.causeway.tun.testing.TestLibC;
import io.causeway.tun.testing.Threads;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw ESP over loopback in a scratch namespace: no kernel ESP is needed to carry protocol 50. */
class RawSocketIT {
    private static final byte[] FAKE_ESP = {0, 0, 0x10, 0x01, 0, 0, 0, 1, 'p', 'a', 'y', 'l', 'o', 'a', 'd'};

    @BeforeEach
    void needsRoot() {
        Root.assumeRootWithTun();
    }

    @Test
    void ipv4ReceivesTheIpHeaderButSendsOnlyThePayload() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                SockAddr to = SockAddr.of(new InetSocketAddress(lo, 0));
                assertThat(sender.send(FAKE_ESP, 0, FAKE_ESP.length, to)).isEqualTo(FAKE_ESP.length);

                byte[] buf = new byte[200];
                SockAddr from = SockAddr.receiver();
                int n = receiver.receive(buf, 3, 197, from);
                int headerLength = (buf[3] & 0x0f) * 4;
                assertThat(n).isEqualTo(headerLength + FAKE_ESP.length);
                assertThat(buf[3 + 9]).as("IP protocol").isEqualTo((byte) 50);
                assertThat(Arrays.copyOfRange(buf, 3 + headerLength, 3 + n)).isEqualTo(FAKE_ESP);
                assertThat(from.toInetSocketAddress().getAddress()).isEqualTo(lo);
            }
            return null;
        });
    }

    @Test
    void theMarkSetIsTheMarkTheKernelKeeps() throws Exception {
        isolated(() -> {
            try (RawSocket socket = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                assertThat(Sockets.mark(socket.fd())).isZero();
                socket.setMark(4500);
                assertThat(Sockets.mark(socket.fd())).isEqualTo(4500);
            }
            return null;
        });
    }

    @Test
    void ipv6CarriesThePayloadOnly() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("::1");
            try (RawSocket receiver = RawSocket.open(true, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(true, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                assertThat(sender.send(FAKE_ESP, 0, FAKE_ESP.length, SockAddr.of(new InetSocketAddress(lo, 0))))
                        .isEqualTo(FAKE_ESP.length);
                byte[] buf = new byte[200];
                SockAddr from = SockAddr.receiver();
                int n = receiver.receive(buf, 0, buf.length, from);
                assertThat(Arrays.copyOf(buf, n)).isEqualTo(FAKE_ESP);
                assertThat(from.isIpv6()).isTrue();
                assertThat(from.toInetSocketAddress().getAddress()).isEqualTo(lo);
            }
            return null;
        });
    }

    @Test
    void closeWakesABlockedReceive() throws Exception {
        isolated(() -> {
            RawSocket socket = RawSocket.open(false, RawSocket.IPPROTO_ESP);
            AtomicInteger tid = new AtomicInteger();
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread reader = new Thread(() -> {
                tid.set(TestLibC.INSTANCE.gettid());
                result.set(socket.receive(new byte[100], 0, 100, SockAddr.receiver()));
            });
            reader.start();
            while (tid.get() == 0) {
                Thread.onSpinWait();
            }
            assertThat(Threads.awaitSleeping(tid.get(), TimeUnit.SECONDS.toNanos(5))).isTrue();
            socket.close();
            reader.join(TimeUnit.SECONDS.toMillis(5));
            assertThat(reader.isAlive()).isFalse();
            assertThat(result.get()).isEqualTo(-1);
            return null;
        });
    }

    @Test
    void sendToWorksOnAnyDatagramFd() throws Exception {
        isolated(() -> {
            int fd = TestLibC.INSTANCE.socket(2, 2, 0); // AF_INET, SOCK_DGRAM
            try (DatagramSocket target = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                target.setSoTimeout(5000);
                byte[] data = {9, 8, 7, 6, 5};
                SockAddr to = SockAddr.of((InetSocketAddress) target.getLocalSocketAddress());
                assertThat(Sockets.sendTo(fd, data, 1, 3, to)).isEqualTo(3);
                DatagramPacket p = new DatagramPacket(new byte[10], 10);
                target.receive(p);
                assertThat(Arrays.copyOf(p.getData(), p.getLength())).containsExactly(8, 7, 6);
            } finally {
                TestLibC.INSTANCE.close(fd);
            }
            return null;
        });
    }
}
