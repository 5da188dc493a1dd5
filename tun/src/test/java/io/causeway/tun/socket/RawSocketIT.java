package io.causeway.tun.socket;

import static io.causeway.tun.netns.NetworkNamespace.isolated;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.tun.netns.NetworkNamespace;
import io.causeway.tun.testing.Root;
import io.causeway.tun.testing.TestLibC;
import io.causeway.tun.testing.Threads;
import io.causeway.tun.testing.VethNamespaces;
import io.causeway.tun.testing.Watchdog;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw ESP over loopback in a scratch namespace: no kernel ESP is needed to carry protocol 50. */
class RawSocketIT {
    private static final byte[] FAKE_ESP = {0, 0, 0x10, 0x01, 0, 0, 0, 1, 'p', 'a', 'y', 'l', 'o', 'a', 'd'};
    private static final int IPV4_HEADER = 20;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);

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

    @Test
    void oneSendmmsgCarriesABatchInOrderWithItsLengthsAndContents() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                assertThat(sender.batched()).as("this kernel has sendmmsg").isTrue();
                RawSendBatch batch = new RawSendBatch(64, 64 * 1500);
                for (int i = 0; i < 20; i++) {
                    byte[] d = datagram(i, 40 + 67 * i);
                    assertThat(batch.add(d, 0, d.length)).isTrue();
                }
                assertThat(sender.send(batch, SockAddr.of(new InetSocketAddress(lo, 0)))).isEqualTo(20);
                assertThat(batch.isEmpty()).as("a send empties the batch").isTrue();

                byte[] buf = new byte[2000];
                SockAddr from = SockAddr.receiver();
                for (int i = 0; i < 20; i++) { // one by one, so that only sendmmsg is under test
                    int n = receiver.receive(buf, 0, buf.length, from);
                    assertThat(Arrays.copyOfRange(buf, IPV4_HEADER, n)).as("datagram %d", i)
                            .isEqualTo(datagram(i, 40 + 67 * i));
                }
            }
            return null;
        });
    }

    @Test
    void oneRecvmmsgReturnsWhatIsQueuedWithTheSendersAndWhereEspStarts() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            InetAddress two = InetAddress.getByName("127.0.0.2");
            InetAddress three = InetAddress.getByName("127.0.0.3");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket fromTwo = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket fromThree = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                fromTwo.bind(two);
                fromThree.bind(three);
                SockAddr to = SockAddr.of(new InetSocketAddress(lo, 0));
                // loopback delivers within send(), so all five are queued before the receive
                for (int i = 0; i < 5; i++) {
                    byte[] d = datagram(i, 100 + i);
                    (i % 2 == 0 ? fromTwo : fromThree).send(d, 0, d.length, to);
                }
                RawReceiveBatch batch = new RawReceiveBatch(64, 65_535);
                assertThat(receiver.receive(batch)).isEqualTo(5);
                assertThat(batch.count()).isEqualTo(5);
                for (int i = 0; i < 5; i++) {
                    assertThat(batch.payloadOffset(i)).isEqualTo(IPV4_HEADER);
                    assertThat(batch.length(i)).isEqualTo(IPV4_HEADER + 100 + i);
                    assertThat(batch.truncated(i)).isFalse();
                    assertThat(payload(batch, i)).isEqualTo(datagram(i, 100 + i));
                    assertThat(batch.sender(i).toInetSocketAddress().getAddress()).isEqualTo(i % 2 == 0 ? two : three);
                }
            }
            return null;
        });
    }

    @Test
    void ipv6BatchesCarryThePayloadOnly() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("::1");
            try (RawSocket receiver = RawSocket.open(true, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(true, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                RawSendBatch out = new RawSendBatch(8, 8 * 1500);
                for (int i = 0; i < 3; i++) {
                    byte[] d = datagram(i, 200 * (i + 1));
                    out.add(d, 0, d.length);
                }
                assertThat(sender.send(out, SockAddr.of(new InetSocketAddress(lo, 0)))).isEqualTo(3);
                RawReceiveBatch in = new RawReceiveBatch(8, 65_535);
                assertThat(receiver.receive(in)).isEqualTo(3);
                for (int i = 0; i < 3; i++) {
                    assertThat(in.payloadOffset(i)).isZero();
                    assertThat(payload(in, i)).isEqualTo(datagram(i, 200 * (i + 1)));
                    assertThat(in.sender(i).isIpv6()).isTrue();
                    assertThat(in.sender(i).toInetSocketAddress().getAddress()).isEqualTo(lo);
                }
            }
            return null;
        });
    }

    @Test
    void moreThanABatchHoldsIsSplitAcrossCallsAndSends() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                SockAddr to = SockAddr.of(new InetSocketAddress(lo, 0));
                RawSendBatch out = new RawSendBatch(4, 4 * 1500);
                int added = 0;
                for (int i = 0; i < 10; i++) {
                    byte[] d = datagram(i, 64);
                    if (!out.add(d, 0, d.length)) {
                        assertThat(out.count()).as("full at its capacity").isEqualTo(4);
                        added += sender.send(out, to);
                        assertThat(out.add(d, 0, d.length)).isTrue();
                    }
                }
                added += sender.send(out, to);
                assertThat(added).isEqualTo(10);

                RawReceiveBatch in = new RawReceiveBatch(4, 65_535);
                int next = 0;
                for (int expected : new int[] {4, 4, 2}) {
                    assertThat(receiver.receive(in)).isEqualTo(expected);
                    for (int i = 0; i < expected; i++, next++) {
                        assertThat(payload(in, i)).as("datagram %d", next).isEqualTo(datagram(next, 64));
                    }
                }
            }
            return null;
        });
    }

    @Test
    void aDatagramLongerThanItsSlotIsMarkedTruncated() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                SockAddr to = SockAddr.of(new InetSocketAddress(lo, 0));
                byte[] small = datagram(1, 30);
                byte[] large = datagram(2, 500);
                sender.send(small, 0, small.length, to);
                sender.send(large, 0, large.length, to);
                RawReceiveBatch in = new RawReceiveBatch(4, 100);
                assertThat(receiver.receive(in)).isEqualTo(2);
                assertThat(in.truncated(0)).isFalse();
                assertThat(payload(in, 0)).isEqualTo(small);
                assertThat(in.truncated(1)).isTrue();
                assertThat(in.length(1)).isEqualTo(100);
            }
            return null;
        });
    }

    @Test
    void withoutTheBatchCallsTheSameBatchesGoOneByOne() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP, false);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP, false)) {
                receiver.bind(lo);
                assertThat(sender.batched()).isFalse();
                RawSendBatch out = new RawSendBatch(8, 8 * 1500);
                for (int i = 0; i < 3; i++) {
                    byte[] d = datagram(i, 50 + i);
                    out.add(d, 0, d.length);
                }
                assertThat(sender.send(out, SockAddr.of(new InetSocketAddress(lo, 0)))).isEqualTo(3);
                RawReceiveBatch in = new RawReceiveBatch(8, 65_535);
                for (int i = 0; i < 3; i++) {
                    assertThat(receiver.receive(in)).as("one datagram per call").isEqualTo(1);
                    assertThat(in.payloadOffset(0)).isEqualTo(IPV4_HEADER);
                    assertThat(payload(in, 0)).isEqualTo(datagram(i, 50 + i));
                    assertThat(in.sender(0).toInetSocketAddress().getAddress()).isEqualTo(lo);
                }
            }
            return null;
        });
    }

    @Test
    void closeWakesABlockedBatchReceive() throws Exception {
        isolated(() -> {
            RawSocket socket = RawSocket.open(false, RawSocket.IPPROTO_ESP);
            RawReceiveBatch in = new RawReceiveBatch(4, 2000);
            AtomicInteger tid = new AtomicInteger();
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread reader = new Thread(() -> {
                tid.set(TestLibC.INSTANCE.gettid());
                result.set(socket.receive(in));
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

    /**
     * B has no raw ESP socket, so its kernel answers A's datagram with ICMP protocol unreachable (port unreachable
     * when the esp4 module is loaded). A's socket is connected to B, which makes Linux (raw_err) hand that error to
     * A's next receive: it must be counted and skipped, and B's datagram sent afterwards still received. Both
     * receives, the batch and the one-datagram one.
     */
    @Test
    void anIcmpErrorForAnEarlierDatagramIsCountedAndTheReceiveGoesOn() throws Exception {
        try (VethNamespaces ns = VethNamespaces.create("cw-rawerr")) {
            NetworkNamespace.in(ns.a(), () -> {
                InetAddress b = InetAddress.getByName(VethNamespaces.B_ADDRESS);
                try (RawSocket socket = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                    socket.bind(InetAddress.getByName(VethNamespaces.A_ADDRESS));
                    byte[] peer = SockAddrCodec.encode(new InetSocketAddress(b, 0));
                    assertThat(TestLibC.INSTANCE.connect(socket.fd(), peer, peer.length)).as("connect").isZero();
                    SockAddr toB = SockAddr.of(new InetSocketAddress(b, 0));

                    RawReceiveBatch batch = new RawReceiveBatch(4, 2000);
                    int n = receiveAcrossAnUnreachable(ns, socket, toB, 1, () -> socket.receive(batch));
                    assertThat(n).isEqualTo(1);
                    assertThat(payload(batch, 0)).isEqualTo(FAKE_ESP);
                    assertThat(batch.sender(0).toInetSocketAddress().getAddress()).isEqualTo(b);

                    byte[] buf = new byte[200];
                    n = receiveAcrossAnUnreachable(ns, socket, toB, 2,
                            () -> socket.receive(buf, 0, buf.length, SockAddr.receiver()));
                    assertThat(n).isEqualTo(IPV4_HEADER + FAKE_ESP.length);
                    assertThat(Arrays.copyOfRange(buf, IPV4_HEADER, n)).isEqualTo(FAKE_ESP);
                }
                return null;
            });
        }
    }

    /**
     * The daemon's socket is bound, not connected, and has no IP_RECVERR: Linux keeps ICMP errors away from it
     * altogether (raw_err reports only to a connected socket or one that asked), which the class comment says.
     */
    @Test
    void anUnconnectedSocketIsNotToldOfIcmpErrors() throws Exception {
        try (VethNamespaces ns = VethNamespaces.create("cw-rawerr")) {
            NetworkNamespace.in(ns.a(), () -> {
                InetAddress b = InetAddress.getByName(VethNamespaces.B_ADDRESS);
                try (RawSocket socket = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                    socket.bind(InetAddress.getByName(VethNamespaces.A_ADDRESS));
                    long unreachablesBefore = VethNamespaces.snmp("Icmp", "InDestUnreachs");
                    assertThat(socket.send(FAKE_ESP, 0, FAKE_ESP.length, SockAddr.of(new InetSocketAddress(b, 0))))
                            .isEqualTo(FAKE_ESP.length);
                    long deadline = System.nanoTime() + DEADLINE_NANOS;
                    while (VethNamespaces.snmp("Icmp", "InDestUnreachs") == unreachablesBefore) {
                        assertThat(System.nanoTime() - deadline).as("B's ICMP error reached A").isNegative();
                        Thread.onSpinWait();
                    }
                    sendFromB(ns);
                    RawReceiveBatch batch = new RawReceiveBatch(4, 2000);
                    var timeout = Watchdog.closeAfter(socket, 5);
                    assertThat(socket.receive(batch)).isEqualTo(1);
                    timeout.cancel(false);
                    assertThat(payload(batch, 0)).isEqualTo(FAKE_ESP);
                    assertThat(socket.earlierDatagramErrors()).isZero();
                }
                return null;
            });
        }
    }

    /**
     * Starts {@code receive} on its own thread, sends A's datagram to B and waits until that receive has been handed
     * B's ICMP error (the socket's count reaches {@code errorsAfter}) while it goes on waiting; then B sends A a
     * datagram, which the receive returns.
     */
    private static int receiveAcrossAnUnreachable(VethNamespaces ns, RawSocket socket, SockAddr toB, long errorsAfter,
            IntSupplier receive) throws Exception {
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                result.set(receive.getAsInt());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "raw-receive");
        var timeout = Watchdog.closeAfter(socket, 10);
        try {
            reader.start();
            assertThat(socket.send(FAKE_ESP, 0, FAKE_ESP.length, toB)).isEqualTo(FAKE_ESP.length);
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (socket.earlierDatagramErrors() < errorsAfter && reader.isAlive()) {
                assertThat(System.nanoTime() - deadline).as("the receive was handed B's ICMP error").isNegative();
                Thread.onSpinWait();
            }
            assertThat(failure.get()).as("the receive failed").isNull();
            assertThat(reader.isAlive()).as("the receive still waits after the error").isTrue();
            assertThat(socket.earlierDatagramErrors()).isEqualTo(errorsAfter);
            sendFromB(ns);
            reader.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
            assertThat(reader.isAlive()).as("B's datagram ended the receive").isFalse();
            assertThat(failure.get()).isNull();
            return result.get();
        } finally {
            timeout.cancel(false);
        }
    }

    /** B's raw ESP socket exists only for this send, so B answers A's datagrams with ICMP before and after. */
    private static void sendFromB(VethNamespaces ns) throws Exception {
        NetworkNamespace.in(ns.b(), () -> {
            try (RawSocket fromB = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                fromB.bind(InetAddress.getByName(VethNamespaces.B_ADDRESS));
                SockAddr toA = SockAddr.of(new InetSocketAddress(InetAddress.getByName(VethNamespaces.A_ADDRESS), 0));
                assertThat(fromB.send(FAKE_ESP, 0, FAKE_ESP.length, toA)).isEqualTo(FAKE_ESP.length);
            }
            return null;
        });
    }

    /** A batch of 16 out and in, 20,000 times: a few bytes per call would add up to hundreds of KiB. */
    @Test
    void batchesAllocateNothingPerCall() throws Exception {
        isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                Sockets.setBufferSizes(receiver.fd(), 4 << 20);
                SockAddr to = SockAddr.of(new InetSocketAddress(lo, 0));
                RawSendBatch out = new RawSendBatch(16, 16 * 1000);
                RawReceiveBatch in = new RawReceiveBatch(16, 2000);
                byte[] d = datagram(7, 1000);
                byte[] copy = new byte[1000];
                rounds(receiver, sender, to, out, in, d, copy, 2_000); // warm-up: classes loaded, code compiled
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long tid = Thread.currentThread().getId();
                long before = mx.getThreadAllocatedBytes(tid);
                rounds(receiver, sender, to, out, in, d, copy, 20_000);
                long allocated = mx.getThreadAllocatedBytes(tid) - before;
                assertThat(allocated).as("bytes allocated in 20,000 rounds of 16 datagrams").isLessThan(16 * 1024);
            }
            return null;
        });
    }

    private static void rounds(RawSocket receiver, RawSocket sender, SockAddr to, RawSendBatch out,
            RawReceiveBatch in, byte[] d, byte[] copy, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 16; i++) {
                out.add(d, 0, d.length);
            }
            if (sender.send(out, to) != 16) {
                throw new AssertionError("batch not sent in round " + r);
            }
            for (int got = 0; got < 16;) {
                int n = receiver.receive(in);
                for (int i = 0; i < n; i++) {
                    in.copy(i, in.payloadOffset(i), copy, 0, in.length(i) - in.payloadOffset(i));
                }
                got += n;
            }
        }
    }

    /** {@code length} bytes that tell datagram {@code index} apart from every other (and from a shifted copy). */
    private static byte[] datagram(int index, int length) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) {
            d[i] = (byte) (index * 31 + i);
        }
        d[0] = (byte) index;
        return d;
    }

    private static byte[] payload(RawReceiveBatch batch, int i) {
        int from = batch.payloadOffset(i);
        byte[] p = new byte[batch.length(i) - from];
        batch.copy(i, from, p, 0, p.length);
        return p;
    }
}
