package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.tun.netns.NetworkNamespace;
import io.causeway.tun.socket.SockAddr;
import io.causeway.tun.socket.UdpSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;

/**
 * The reader on a port-4500 socket that the kernel tells of an ICMP error (it is connected to a closed port, so its
 * datagram draws port unreachable): the error is counted under socket_error and the reader still reads what comes
 * next. Loopback of a scratch namespace.
 */
class UdpEncapReaderIT {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** connect(2), which the data path itself never needs. */
    public interface Connect {
        Connect LIBC = LibraryLoader.create(Connect.class).load("c");

        int connect(int fd, byte[] sockaddr, int length);
    }

    @Test
    void anIcmpErrorIsCountedAndTheReaderGoesOn() throws Exception {
        LabRequirements.root();
        NetworkNamespace.isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            InetSocketAddress peer;
            try (UdpSocket closedAgain = UdpSocket.bind(new InetSocketAddress(lo, 0), 0, 1 << 16)) {
                peer = closedAgain.local();
            }
            DataPathCounters counters = new DataPathCounters();
            try (UdpSocket socket = UdpSocket.bind(new InetSocketAddress(lo, 0), 0, 1 << 16)) {
                assertThat(Connect.LIBC.connect(socket.fd(), sockaddrIn(peer), 16)).as("connect").isZero();
                InboundPath inbound = new InboundPath(new SaTable(), new TransportSas(), new NoSink(), counters);
                Thread reader = new Thread(new UdpEncapReader(new SocketEncap(socket), inbound, (d, from, to) -> { }, counters),
                        "udp-encap-reader");
                reader.start();
                try {
                    byte[] probe = {0, 0, 0, 0, 1};
                    assertThat(socket.sendTo(probe, 0, probe.length, SockAddr.of(peer))).isEqualTo(probe.length);
                    // the reader's receive skips the error and waits on; its count shows once that receive returns
                    long deadline = System.nanoTime() + DEADLINE_NANOS;
                    while (socket.earlierDatagramErrors() == 0) {
                        assertThat(reader.isAlive()).as("the reader runs").isTrue();
                        assertThat(System.nanoTime() - deadline).as("the socket was told of the error").isNegative();
                        Thread.onSpinWait();
                    }
                    try (UdpSocket reopened = UdpSocket.bind(peer, 0, 1 << 16)) {
                        byte[] keepalive = {(byte) 0xff};
                        reopened.sendTo(keepalive, 0, 1, SockAddr.of(socket.local()));
                    }
                    awaitOne("keepalives read after the error", () -> counters.keepalives.sum());
                    assertThat(counters.snapshot()).containsEntry("socket_error", 1L);
                    assertThat(reader.isAlive()).isTrue();
                } finally {
                    socket.close();
                    reader.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
                }
                assertThat(reader.isAlive()).as("close ends the reader").isFalse();
            }
            return null;
        });
    }

    private static void awaitOne(String what, LongSupplier count) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (count.getAsLong() < 1) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.onSpinWait();
        }
        assertThat(count.getAsLong()).as(what).isEqualTo(1);
    }

    /** struct sockaddr_in: family, port and address in network order, zero padding. */
    private static byte[] sockaddrIn(InetSocketAddress address) {
        byte[] s = new byte[16];
        s[0] = 2; // AF_INET, little-endian
        s[2] = (byte) (address.getPort() >> 8);
        s[3] = (byte) address.getPort();
        System.arraycopy(address.getAddress().getAddress(), 0, s, 4, 4);
        return s;
    }

    private static final class NoSink implements InnerPacketSink {
        @Override
        public void deliver(byte[] buf, int off, int len) {
        }

        @Override
        public void flush() {
        }
    }
}
