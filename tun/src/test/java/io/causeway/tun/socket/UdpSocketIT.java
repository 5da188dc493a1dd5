package io.causeway.tun.socket;

import static io.causeway.tun.netns.NetworkNamespace.isolated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.tun.OsException;
import io.causeway.tun.nativeio.LibC;
import io.causeway.tun.testing.Root;
import io.causeway.tun.testing.TestLibC;
import io.causeway.tun.testing.Threads;
import io.causeway.tun.testing.Watchdog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UdpSocket over the loopback of a scratch namespace: UDP GSO out, GRO in, and the fallbacks. */
class UdpSocketIT {
    private static final long DEADLINE_SECONDS = 5;
    private static final int SOL_SOCKET = 1;
    private static final int SO_NO_CHECK = 11;
    private static final int SO_RCVBUF = 8;


    @BeforeEach
    void needsRoot() {
        Root.assumeRootWithTun();
    }

    @Test
    void aBatchArrivesAsOneGroBatchThatSplitsIntoTheDatagramsSent() throws Exception {
        isolated(() -> {
            try (UdpSocket rx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 20);
                    UdpSocket tx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 20)) {
                assertThat(rx.gro()).isTrue();
                List<byte[]> sent = elevenDatagrams();
                assertThat(send(tx, sent, rx.local())).isEqualTo(11);
                assertThat(tx.gso()).isTrue();

                UdpReceiveBuffer buffer = new UdpReceiveBuffer(65_535);
                List<byte[]> received = new ArrayList<>();
                int receives = 0;
                while (received.size() < sent.size()) {
                    receiveBeforeDeadline(rx, buffer);
                    receives++;
                    received.addAll(split(buffer));
                }
                assertThat(received).containsExactlyElementsOf(sent);
                // Loopback carries the GSO packet whole, and the GRO socket takes it as it is.
                assertThat(receives).isEqualTo(1);
                assertThat(buffer.length()).isEqualTo(10 * 1000 + 300);
                assertThat(buffer.segmentSize()).isEqualTo(1000);
                assertThat(buffer.truncated()).isFalse();
                assertThat(buffer.sender()).isEqualTo(tx.local());
            }
            return null;
        });
    }

    @Test
    void withoutGroTheBatchArrivesAsElevenDatagrams() throws Exception {
        isolated(() -> {
            try (UdpSocket rx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 20, false);
                    UdpSocket tx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 20)) {
                assertThat(rx.gro()).isFalse();
                List<byte[]> sent = elevenDatagrams();
                assertThat(send(tx, sent, rx.local())).isEqualTo(11);

                UdpReceiveBuffer buffer = new UdpReceiveBuffer(65_535);
                for (byte[] expected : sent) {
                    int n = receiveBeforeDeadline(rx, buffer);
                    assertThat(n).isEqualTo(expected.length);
                    assertThat(buffer.segmentSize()).isEqualTo(n);
                    assertThat(split(buffer)).containsExactly(expected);
                }
            }
            return null;
        });
    }

    @Test
    void ipv6BatchesAndGroWorkTheSameWay() throws Exception {
        isolated(() -> {
            try (UdpSocket rx = UdpSocket.bind(loopback("::1"), 0, 0);
                    UdpSocket tx = UdpSocket.bind(loopback("::1"), 0, 0)) {
                List<byte[]> sent = elevenDatagrams();
                assertThat(send(tx, sent, rx.local())).isEqualTo(11);
                UdpReceiveBuffer buffer = new UdpReceiveBuffer(65_535);
                List<byte[]> received = new ArrayList<>();
                while (received.size() < sent.size()) {
                    receiveBeforeDeadline(rx, buffer);
                    received.addAll(split(buffer));
                }
                assertThat(received).containsExactlyElementsOf(sent);
                assertThat(buffer.sender()).isEqualTo(tx.local());
            }
            return null;
        });
    }

    @Test
    void whenTheKernelRefusesUdpSegmentTheBatchGoesOutOneByOne() throws Exception {
        isolated(() -> {
            try (UdpSocket rx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 20, false);
                    UdpSocket tx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 20)) {
                // With SO_NO_CHECK the kernel answers a UDP_SEGMENT send with EINVAL (udp_send_skb).
                Pointer one = LibC.allocate(4);
                one.putInt(0, 1);
                assertThat(LibC.INSTANCE.setsockopt(tx.fd(), SOL_SOCKET, SO_NO_CHECK, one, 4)).isZero();
                List<byte[]> sent = elevenDatagrams();
                assertThat(send(tx, sent, rx.local())).isEqualTo(11);
                assertThat(tx.gso()).as("refused once, off for good").isFalse();
                assertThat(send(tx, sent.subList(0, 3), rx.local())).isEqualTo(3);

                UdpReceiveBuffer buffer = new UdpReceiveBuffer(65_535);
                List<byte[]> received = new ArrayList<>();
                while (received.size() < 14) {
                    receiveBeforeDeadline(rx, buffer);
                    received.addAll(split(buffer));
                }
                List<byte[]> expected = new ArrayList<>(sent);
                expected.addAll(sent.subList(0, 3));
                assertThat(received).containsExactlyElementsOf(expected);
            }
            return null;
        });
    }

    @Test
    void aSingleDatagramReportsItsSender() throws Exception {
        isolated(() -> {
            try (UdpSocket rx = UdpSocket.bind(loopback("127.0.0.1"), 0, 0);
                    UdpSocket tx = UdpSocket.bind(loopback("127.0.0.1"), 0, 0)) {
                byte[] buf = {0, 0, 0, 0, 'i', 'k', 'e', 0};
                assertThat(tx.sendTo(buf, 1, 6, SockAddr.of(rx.local()))).isEqualTo(6);
                UdpReceiveBuffer buffer = new UdpReceiveBuffer(2048);
                assertThat(receiveBeforeDeadline(rx, buffer)).isEqualTo(6);
                assertThat(buffer.segmentSize()).isEqualTo(6);
                assertThat(buffer.sender()).isEqualTo(tx.local());
                byte[] copy = new byte[8];
                buffer.copy(1, copy, 2, 5);
                assertThat(copy).containsExactly(0, 0, 0, 0, 'i', 'k', 'e', 0);
                assertThatThrownBy(() -> buffer.copy(2, copy, 0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
            }
            return null;
        });
    }

    @Test
    void aDatagramLongerThanTheBufferIsCutAndFlagged() throws Exception {
        isolated(() -> {
            try (UdpSocket rx = UdpSocket.bind(loopback("127.0.0.1"), 0, 0);
                    UdpSocket tx = UdpSocket.bind(loopback("127.0.0.1"), 0, 0)) {
                SockAddr to = SockAddr.of(rx.local());
                byte[] big = datagram(7, 300);
                assertThat(tx.sendTo(big, 0, big.length, to)).isEqualTo(300);
                assertThat(tx.sendTo(big, 0, 50, to)).isEqualTo(50);
                UdpReceiveBuffer buffer = new UdpReceiveBuffer(100);
                assertThat(receiveBeforeDeadline(rx, buffer)).isEqualTo(100);
                assertThat(buffer.truncated()).isTrue();
                assertThat(split(buffer)).containsExactly(Arrays.copyOf(big, 100));
                assertThat(receiveBeforeDeadline(rx, buffer)).isEqualTo(50);
                assertThat(buffer.truncated()).isFalse();
            }
            return null;
        });
    }

    @Test
    void closeWakesABlockedReceive() throws Exception {
        isolated(() -> {
            UdpSocket socket = UdpSocket.bind(loopback("127.0.0.1"), 0, 0);
            AtomicInteger tid = new AtomicInteger();
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread reader = new Thread(() -> {
                tid.set(TestLibC.INSTANCE.gettid());
                result.set(socket.receive(new UdpReceiveBuffer(2048)));
            });
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            while (tid.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(Threads.awaitSleeping(tid.get(), TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS)))
                    .as("receiver blocked in the kernel").isTrue();
            socket.close();
            reader.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
            assertThat(reader.isAlive()).as("receiver still blocked after close").isFalse();
            assertThat(result.get()).isEqualTo(-1);

            assertThat(socket.receive(new UdpReceiveBuffer(10))).isEqualTo(-1);
            SockAddr to = SockAddr.of(loopback("127.0.0.1"));
            assertThat(socket.sendTo(new byte[4], 0, 4, to)).isEqualTo(-1);
            UdpSendBatch batch = new UdpSendBatch(100);
            batch.add(new byte[4], 0, 4);
            assertThat(socket.send(batch, to)).isZero();
            assertThat(batch.isEmpty()).as("send always resets the batch").isTrue();
            socket.close(); // idempotent
            return null;
        });
    }

    @Test
    void theFwmarkAndTheBufferSizesAreTheKernels() throws Exception {
        isolated(() -> {
            try (UdpSocket marked = UdpSocket.bind(loopback("127.0.0.1"), 0x1194, 4 << 20);
                    UdpSocket plain = UdpSocket.bind(loopback("127.0.0.1"), 0, 0)) {
                assertThat(Sockets.mark(marked.fd())).isEqualTo(0x1194);
                assertThat(Sockets.mark(plain.fd())).isZero();
                // SO_RCVBUFFORCE passes net.core.rmem_max (212,992 by default); the kernel doubles it.
                assertThat(intOption(marked.fd(), SO_RCVBUF)).isEqualTo(2 * (4 << 20));
            }
            return null;
        });
    }

    @Test
    void anAddressInUseIsOneLineNamingIt() throws Exception {
        isolated(() -> {
            try (UdpSocket first = UdpSocket.bind(loopback("127.0.0.1"), 0, 0)) {
                int port = first.local().getPort();
                assertThatThrownBy(() -> UdpSocket.bind(first.local(), 0, 0))
                        .isInstanceOf(OsException.class)
                        .hasMessage("cannot bind UDP 127.0.0.1 port " + port + ": Address already in use");
                assertThatThrownBy(() -> UdpSocket.bind(new InetSocketAddress("192.0.2.1", 4500), 0, 0))
                        .isInstanceOf(OsException.class)
                        .hasMessage("cannot bind UDP 192.0.2.1 port 4500: Cannot assign requested address"
                                + " (no interface of this namespace has that address)");
            }
            return null;
        });
    }

    /** Ten datagrams of 1,000 bytes and one of 300, each with contents of its own. */
    /**
     * A socket connected to a closed port is told of the ICMP port unreachable its datagram drew (ECONNREFUSED on
     * the next receive, Linux __udp4_lib_err): the receive counts it, goes on waiting and returns the datagram the
     * peer sends once its port is open.
     */
    @Test
    void anIcmpErrorForAnEarlierDatagramIsCountedAndTheReceiveGoesOn() throws Exception {
        isolated(() -> {
            InetSocketAddress peer;
            try (UdpSocket closedAgain = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 16)) {
                peer = closedAgain.local(); // a port nobody listens on once this is closed
            }
            try (UdpSocket rx = UdpSocket.bind(loopback("127.0.0.1"), 0, 1 << 16)) {
                byte[] encoded = SockAddrCodec.encode(peer);
                assertThat(TestLibC.INSTANCE.connect(rx.fd(), encoded, encoded.length)).as("connect").isZero();
                UdpReceiveBuffer buffer = new UdpReceiveBuffer(2000);
                AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        result.set(rx.receive(buffer));
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "udp-receive");
                var timeout = Watchdog.closeAfter(rx, 2 * DEADLINE_SECONDS);
                try {
                    reader.start();
                    byte[] probe = {1, 2, 3};
                    assertThat(rx.sendTo(probe, 0, probe.length, SockAddr.of(peer))).isEqualTo(3);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
                    while (rx.earlierDatagramErrors() == 0 && reader.isAlive()) {
                        assertThat(System.nanoTime() - deadline).as("the receive was handed the error").isNegative();
                        Thread.onSpinWait();
                    }
                    assertThat(failure.get()).as("the receive failed").isNull();
                    assertThat(reader.isAlive()).as("the receive still waits after the error").isTrue();
                    assertThat(rx.earlierDatagramErrors()).isEqualTo(1);
                    try (UdpSocket reopened = UdpSocket.bind(peer, 0, 1 << 16)) {
                        byte[] reply = {4, 5, 6, 7};
                        assertThat(reopened.sendTo(reply, 0, reply.length, SockAddr.of(rx.local()))).isEqualTo(4);
                    }
                    reader.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
                    assertThat(reader.isAlive()).as("the peer's datagram ended the receive").isFalse();
                    assertThat(failure.get()).isNull();
                    assertThat(result.get()).isEqualTo(4);
                    byte[] got = new byte[4];
                    buffer.copy(0, got, 0, 4);
                    assertThat(got).containsExactly(4, 5, 6, 7);
                } finally {
                    timeout.cancel(false);
                }
            }
            return null;
        });
    }

    private static List<byte[]> elevenDatagrams() {
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            datagrams.add(datagram(i, 1000));
        }
        datagrams.add(datagram(10, 300));
        return datagrams;
    }

    private static byte[] datagram(int seed, int length) {
        byte[] d = new byte[length];
        for (int j = 0; j < length; j++) {
            d[j] = (byte) (seed * 31 + j);
        }
        return d;
    }

    private static int send(UdpSocket tx, List<byte[]> datagrams, InetSocketAddress to) {
        UdpSendBatch batch = new UdpSendBatch(65_000);
        for (byte[] d : datagrams) {
            assertThat(batch.add(d, 0, d.length)).isTrue();
        }
        int sent = tx.send(batch, SockAddr.of(to));
        assertThat(batch.isEmpty()).isTrue();
        return sent;
    }

    private static int receiveBeforeDeadline(UdpSocket socket, UdpReceiveBuffer buffer) {
        // The watchdog closes the socket at the deadline: receive() then returns -1, no hang.
        var timeout = Watchdog.closeAfter(socket, DEADLINE_SECONDS);
        try {
            int n = socket.receive(buffer);
            assertThat(n).as("datagram before the deadline").isNotNegative();
            return n;
        } finally {
            timeout.cancel(false);
        }
    }

    /** The datagrams of the last receive, cut at the segment size. */
    private static List<byte[]> split(UdpReceiveBuffer buffer) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < buffer.length(); off += buffer.segmentSize()) {
            byte[] d = new byte[Math.min(buffer.segmentSize(), buffer.length() - off)];
            buffer.copy(off, d, 0, d.length);
            out.add(d);
        }
        return out;
    }

    private static int intOption(int fd, int option) {
        Pointer value = LibC.allocate(4);
        Pointer length = LibC.allocate(4);
        length.putInt(0, 4);
        assertThat(LibC.INSTANCE.getsockopt(fd, SOL_SOCKET, option, value, length)).isZero();
        return value.getInt(0);
    }

    private static InetSocketAddress loopback(String literal) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), 0);
    }
}
