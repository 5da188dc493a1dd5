package io.causeway.tun;

import static io.causeway.tun.netns.NetworkNamespace.isolated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.testing.Capabilities;
import io.causeway.tun.testing.Packets;
import io.causeway.tun.testing.Root;
import io.causeway.tun.testing.TestLibC;
import io.causeway.tun.testing.Threads;
import io.causeway.tun.testing.Watchdog;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunDeviceIT {
    private static final long DEADLINE_SECONDS = 5;

    private final InetAddress local = address("10.9.0.1");
    private final InetAddress peer = address("10.9.0.2");

    @BeforeEach
    void needsRoot() {
        Root.assumeRootWithTun();
    }

    @Test
    void theKernelAnswersAnEchoRequestWrittenIntoTheTun() throws Exception {
        isolated(() -> {
            try (TunDevice tun = upWithAddress("cw0")) {
                byte[] payload = "causeway".getBytes(StandardCharsets.US_ASCII);
                byte[] request = Packets.icmpEchoRequest(peer, local, 0x4321, 1, payload);
                byte[] buf = new byte[2048];
                // The packet at an offset: read and write must honour off/len.
                System.arraycopy(request, 0, buf, 100, request.length);
                assertThat(tun.write(buf, 100, request.length)).isEqualTo(request.length);

                int off = 7;
                int n = readIpv4(tun, buf, off, Packets.ICMP);
                assertThat(n).isEqualTo(request.length);
                assertThat(buf[off + 20]).as("ICMP type echo reply").isEqualTo((byte) 0);
                assertThat(Arrays.copyOfRange(buf, off + 12, off + 16)).isEqualTo(local.getAddress());
                assertThat(Arrays.copyOfRange(buf, off + 16, off + 20)).isEqualTo(peer.getAddress());
                assertThat(Arrays.copyOfRange(buf, off + 28, off + n)).isEqualTo(payload);
            }
            return null;
        });
    }

    @Test
    void aUdpSocketReceivesAPacketWrittenIntoTheTun() throws Exception {
        isolated(() -> {
            try (TunDevice tun = upWithAddress("cw0");
                    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
                byte[] data = "hello through the tun".getBytes(StandardCharsets.US_ASCII);
                byte[] packet = Packets.udp(peer, 4500, local, socket.getLocalPort(), data);
                assertThat(tun.write(packet, 0, packet.length)).isEqualTo(packet.length);

                DatagramPacket received = new DatagramPacket(new byte[100], 100);
                socket.receive(received);
                assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(data);
                assertThat(received.getSocketAddress()).isEqualTo(new InetSocketAddress(peer, 4500));
            }
            return null;
        });
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        isolated(() -> {
            TunDevice tun = TunDevice.open("cw0"); // down: nothing will ever arrive
            AtomicInteger tid = new AtomicInteger();
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
            Thread reader = new Thread(() -> {
                tid.set(TestLibC.INSTANCE.gettid());
                result.set(tun.read(new byte[1500], 0, 1500));
            });
            reader.start();
            while (tid.get() == 0) {
                Thread.onSpinWait();
            }
            assertThat(Threads.awaitSleeping(tid.get(), TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS)))
                    .as("reader blocked in the kernel").isTrue();

            long start = System.nanoTime();
            tun.close();
            reader.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
            assertThat(reader.isAlive()).as("reader still blocked after close").isFalse();
            assertThat(result.get()).isEqualTo(-1);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS));
            assertThat(tun.read(new byte[10], 0, 10)).isEqualTo(-1);
            assertThat(tun.write(new byte[20], 0, 20)).isEqualTo(-1);
            tun.close(); // idempotent
            return null;
        });
    }

    @Test
    void aPatternNameIsResolvedByTheKernel() throws Exception {
        isolated(() -> {
            try (TunDevice a = TunDevice.open("cwt%d"); TunDevice b = TunDevice.open("cwt%d")) {
                assertThat(a.name()).isEqualTo("cwt0");
                assertThat(b.name()).isEqualTo("cwt1");
            }
            return null;
        });
    }

    @Test
    void multiQueueGivesOneFdPerQueueOnOneInterface() throws Exception {
        isolated(() -> {
            List<TunDevice> queues = TunDevice.openQueues("cwq%d", 3);
            try (Netlink netlink = Netlink.open()) {
                assertThat(queues).extracting(TunDevice::name).containsOnly("cwq0");
                assertThat(queues).extracting(TunDevice::fd).doesNotHaveDuplicates();
                assertThat(netlink.linkIndex("cwq0")).isPositive();
                // A single-queue open of the same name clashes with the multi-queue device.
                assertThatThrownBy(() -> TunDevice.open("cwq0"))
                        .isInstanceOf(TunException.class)
                        .hasMessageStartingWith("cannot create TUN device cwq0: Invalid argument");
            } finally {
                queues.forEach(TunDevice::close);
            }
            return null;
        });
    }

    @Test
    void withoutCapNetAdminTheErrorSaysWhatToDo() throws Exception {
        isolated(() -> {
            Capabilities.dropFromThisThread(Capabilities.CAP_NET_ADMIN); // this thread dies after
            assertThatThrownBy(() -> TunDevice.open("cw0"))
                    .isInstanceOf(TunException.class)
                    .hasMessage("cannot create TUN device cw0: Operation not permitted (run as root or grant CAP_NET_ADMIN)");
            return null;
        });
    }

    private TunDevice upWithAddress(String name) {
        TunDevice tun = TunDevice.open(name);
        try (Netlink netlink = Netlink.open()) {
            netlink.addAddress(name, local, 24);
            netlink.setLinkUp(name);
        } catch (RuntimeException e) {
            tun.close();
            throw e;
        }
        return tun;
    }

    /** Reads until an IPv4 packet of {@code protocol} arrives (skipping e.g. IPv6 router solicitations). */
    private static int readIpv4(TunDevice tun, byte[] buf, int off, int protocol) {
        // The watchdog closes the device at the deadline: read() then returns -1, no hang.
        var timeout = Watchdog.closeAfter(tun, DEADLINE_SECONDS);
        try {
            for (;;) {
                int n = tun.read(buf, off, buf.length - off);
                assertThat(n).as("packet before the deadline").isNotNegative();
                if ((buf[off] >> 4) == 4 && buf[off + 9] == protocol) {
                    return n;
                }
            }
        } finally {
            timeout.cancel(false);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
