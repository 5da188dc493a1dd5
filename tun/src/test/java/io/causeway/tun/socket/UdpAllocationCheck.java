package io.causeway.tun.socket;

import io.causeway.tun.netns.NetworkNamespace;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Not a test: a loop that shows send() and receive() allocate nothing per call, by the
 * thread's allocation counter around 100,000 round trips on the loopback of a scratch namespace.
 * Run as root: {@code java -cp tun/target/classes:tun/target/test-classes:JNR_JARS
 * io.causeway.tun.socket.UdpAllocationCheck}.
 */
public final class UdpAllocationCheck {
    private static final int ROUNDS = 100_000;

    private UdpAllocationCheck() {
    }

    public static void main(String[] args) throws Exception {
        NetworkNamespace.isolated(() -> {
            InetSocketAddress lo = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
            try (UdpSocket rx = UdpSocket.bind(lo, 0, 4 << 20); UdpSocket tx = UdpSocket.bind(lo, 0, 4 << 20)) {
                SockAddr to = SockAddr.of(rx.local());
                UdpSendBatch batch = new UdpSendBatch(65_000);
                UdpReceiveBuffer buffer = new UdpReceiveBuffer(65_535);
                byte[] datagram = new byte[1000];
                byte[] copy = new byte[1000];
                for (int warm = 0; warm < 3; warm++) {
                    long before = allocated();
                    report("reading the counter twice, nothing between", allocated() - before, 0);
                    report("batch of 11, send + receive", batchRounds(tx, rx, to, batch, buffer, datagram, copy), ROUNDS);
                    report("one datagram, sendTo + receive", singleRounds(tx, rx, to, buffer, datagram, copy), ROUNDS);
                }
            }
            return null;
        });
    }

    private static long batchRounds(UdpSocket tx, UdpSocket rx, SockAddr to, UdpSendBatch batch,
            UdpReceiveBuffer buffer, byte[] datagram, byte[] copy) {
        long before = allocated();
        for (int i = 0; i < ROUNDS; i++) {
            for (int d = 0; d < 10; d++) {
                batch.add(datagram, 0, 1000);
            }
            batch.add(datagram, 0, 300);
            if (tx.send(batch, to) != 11) {
                throw new IllegalStateException("batch not sent");
            }
            int bytes = 0;
            while (bytes < 10_300) {
                bytes += rx.receive(buffer);
                buffer.copy(0, copy, 0, Math.min(buffer.segmentSize(), 1000));
            }
        }
        return allocated() - before;
    }

    private static long singleRounds(UdpSocket tx, UdpSocket rx, SockAddr to, UdpReceiveBuffer buffer,
            byte[] datagram, byte[] copy) {
        long before = allocated();
        for (int i = 0; i < ROUNDS; i++) {
            if (tx.sendTo(datagram, 0, 1000, to) != 1000) {
                throw new IllegalStateException("datagram not sent");
            }
            rx.receive(buffer);
            buffer.copy(0, copy, 0, buffer.length());
        }
        return allocated() - before;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static void report(String what, long bytes, int rounds) {
        System.out.printf("%s: %d bytes allocated in %,d rounds%n", what, bytes, rounds);
    }
}
