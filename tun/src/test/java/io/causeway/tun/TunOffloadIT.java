package io.causeway.tun;

import static io.causeway.tun.netns.NetworkNamespace.isolated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.tun.nativeio.HeapArrayIo;
import io.causeway.tun.netlink.Netlink;
import io.causeway.tun.testing.Packets;
import io.causeway.tun.testing.Root;
import io.causeway.tun.testing.Watchdog;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TUN offloads (IFF_VNET_HDR, TSO) against the real kernel, each test in a namespace of its own.
 * The virtio_net_hdr fields are those of include/uapi/linux/virtio_net.h.
 */
class TunOffloadIT {
    private static final long DEADLINE_SECONDS = 5;
    private static final int HDR = TunDevice.VNET_HDR_LEN;
    private static final int GSO_NONE = 0;
    private static final int GSO_TCPV4 = 1;
    private static final int F_NEEDS_CSUM = 1;
    private static final int TSO = TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6;


    private final InetAddress local = address("10.9.0.1");
    private final InetAddress peer = address("10.9.0.2");

    @BeforeEach
    void needsRoot() {
        Root.assumeRootWithTun();
    }

    @Test
    void anOffloadDeviceReportsTheTsoFlags() throws Exception {
        isolated(() -> {
            try (TunDevice tun = TunDevice.open("cwo%d", true); TunDevice plain = TunDevice.open("cwp0")) {
                assertThat(tun.offload()).isTrue();
                assertThat(tun.offloadFlags() & TSO).isEqualTo(TSO);
                assertThat(tun.offloadFlags() & ~TunDevice.OFFLOADS[0]).as("only flags we asked for").isZero();
                assertThat(plain.offload()).isFalse();
                assertThat(plain.offloadFlags()).isZero();
            }
            return null;
        });
    }

    @Test
    void everyQueueOfAMultiQueueDeviceGetsTheSameOffloads() throws Exception {
        isolated(() -> {
            List<TunDevice> queues = TunDevice.openQueues("cwq%d", 3, true);
            try {
                assertThat(queues).extracting(TunDevice::name).containsOnly("cwq0");
                assertThat(queues).allMatch(TunDevice::offload);
                assertThat(queues).extracting(TunDevice::offloadFlags).containsOnly(queues.get(0).offloadFlags());
                // A queue attaching to a device with open queues carries the device's header or none.
                assertThatThrownBy(() -> TunDevice.openQueues("cwq0", 1))
                        .isInstanceOf(TunException.class)
                        .hasMessage("cannot attach to TUN device cwq0: its other queues use offloads (IFF_VNET_HDR);"
                                + " open this one with offload too");
                try (TunDevice another = TunDevice.openQueues("cwq0", 1, true).get(0)) {
                    assertThat(another.offload()).isTrue();
                    assertThat(another.offloadFlags()).isEqualTo(queues.get(0).offloadFlags());
                }
            } finally {
                queues.forEach(TunDevice::close);
            }
            return null;
        });
    }

    @Test
    void anOffloadQueueAttachingToAPlainDeviceIsPlain() throws Exception {
        isolated(() -> {
            List<TunDevice> queues = TunDevice.openQueues("cwq%d", 2);
            try (TunDevice attached = TunDevice.openQueues(queues.get(0).name(), 1, true).get(0)) {
                assertThat(attached.offload()).isFalse();
                assertThat(attached.offloadFlags()).isZero();
                // The device stayed plain for all three queues: a packet through any is bare.
                up(queues.get(0));
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
                    socket.send(new DatagramPacket(new byte[5], 5, new InetSocketAddress(peer, 9999)));
                }
                byte[] buf = new byte[2048];
                int n = readIpv4Anywhere(List.of(queues.get(0), queues.get(1), attached), buf, Packets.UDP);
                assertThat(n).isEqualTo(20 + 8 + 5);
            } finally {
                queues.forEach(TunDevice::close);
            }
            return null;
        });
    }

    @Test
    void offloadsTheKernelRefusesGiveAWorkingPlainDevice() throws Exception {
        isolated(() -> {
            // Bit 20 is no TUN_F_* flag: set_offload answers EINVAL, as an old kernel does for USO.
            int[] refused = {1 << 20, TunDevice.TUN_F_TSO4}; // TSO without CSUM is refused too
            try (TunDevice tun = TunDevice.open("cwf0", false, refused, TunDevice.CLONE_DEVICE)) {
                assertThat(tun.offload()).isFalse();
                assertThat(tun.offloadFlags()).isZero();
                up(tun);
                byte[] request = Packets.icmpEchoRequest(peer, local, 7, 1, new byte[8]);
                assertThat(tun.write(request, 0, request.length)).isEqualTo(request.length);
                byte[] buf = new byte[2048];
                int n = readIpv4(tun, buf, 0, Packets.ICMP);
                assertThat(n).as("no header in front: the reply is the bare packet").isEqualTo(request.length);
                assertThat(buf[20]).as("echo reply").isEqualTo((byte) 0);
            }
            return null;
        });
    }

    @Test
    void aDatagramIntoTheTunArrivesBehindAVirtioHeader() throws Exception {
        isolated(() -> {
            try (TunDevice tun = up(TunDevice.open("cwo0", true));
                    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
                byte[] data = "offloaded".getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(data, data.length, new InetSocketAddress(peer, 9999)));

                byte[] buf = new byte[HDR + 65535];
                int n = readIpv4(tun, buf, HDR, Packets.UDP);
                ByteBuffer h = header(buf);
                assertThat(h.get(1)).as("gso_type").isEqualTo((byte) GSO_NONE);
                assertThat(h.getShort(4)).as("gso_size").isZero();
                // TUN_F_CSUM: the kernel leaves the UDP checksum to whoever takes the packet.
                assertThat(h.get(0)).as("flags").isEqualTo((byte) F_NEEDS_CSUM);
                assertThat(h.getShort(6)).as("csum_start").isEqualTo((short) 20);
                assertThat(h.getShort(8)).as("csum_offset").isEqualTo((short) 6);

                ByteBuffer ip = ByteBuffer.wrap(buf, HDR, n - HDR).slice();
                assertThat(ip.get(0)).as("IPv4, IHL 5").isEqualTo((byte) 0x45);
                assertThat(Short.toUnsignedInt(ip.getShort(2))).as("total length").isEqualTo(n - HDR);
                assertThat(n - HDR).isEqualTo(20 + 8 + data.length);
                assertThat(Packets.checksum(buf, HDR, 20)).as("IP header checksum verifies").isZero();
                assertThat(Arrays.copyOfRange(buf, HDR + 12, HDR + 16)).isEqualTo(local.getAddress());
                assertThat(Arrays.copyOfRange(buf, HDR + 16, HDR + 20)).isEqualTo(peer.getAddress());
                assertThat(Short.toUnsignedInt(ip.getShort(20))).isEqualTo(socket.getLocalPort());
                assertThat(Short.toUnsignedInt(ip.getShort(22))).isEqualTo(9999);
                assertThat(Arrays.copyOfRange(buf, HDR + 28, n)).isEqualTo(data);
            }
            return null;
        });
    }

    @Test
    void aDatagramWrittenBehindAZeroHeaderReachesItsSocket() throws Exception {
        isolated(() -> {
            try (TunDevice tun = up(TunDevice.open("cwo0", true));
                    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
                long checksumErrors = udpInCsumErrors();
                // Flags 0: the kernel verifies the checksum. A wrong one is dropped and counted...
                byte[] bad = Packets.udpWithChecksum(peer, 4500, local, socket.getLocalPort(), new byte[] {1});
                bad[26] ^= 0x55;
                assertThat(tun.write(withHeader(bad), 0, HDR + bad.length)).isEqualTo(HDR + bad.length);
                // ...and the right one delivered, behind it in the same backlog.
                byte[] data = "hello through an offload tun".getBytes(StandardCharsets.US_ASCII);
                byte[] good = Packets.udpWithChecksum(peer, 4500, local, socket.getLocalPort(), data);
                assertThat(tun.write(withHeader(good), 0, HDR + good.length)).isEqualTo(HDR + good.length);

                DatagramPacket received = new DatagramPacket(new byte[100], 100);
                socket.receive(received);
                assertThat(Arrays.copyOf(received.getData(), received.getLength())).isEqualTo(data);
                assertThat(received.getSocketAddress()).isEqualTo(new InetSocketAddress(peer, 4500));
                assertThat(udpInCsumErrors()).as("the corrupted one was checked, not trusted")
                        .isEqualTo(checksumErrors + 1);
            }
            return null;
        });
    }

    @Test
    void aTcpSenderHandsTheTunASuperPacketOnceTheHandshakeIsAnswered() throws Exception {
        isolated(() -> {
            try (TunDevice tun = up(TunDevice.open("cwo0", true)); SocketChannel client = SocketChannel.open()) {
                client.configureBlocking(false);
                client.connect(new InetSocketAddress(peer, 8080));

                byte[] buf = new byte[HDR + 65535];
                int n = readTcp(tun, buf);
                ByteBuffer tcp = ByteBuffer.wrap(buf, HDR + 20, n - HDR - 20).slice();
                assertThat(header(buf).get(1)).as("gso_type of the SYN").isEqualTo((byte) GSO_NONE);
                assertThat(tcp.get(13)).as("flags: SYN alone").isEqualTo((byte) Packets.TCP_SYN);
                assertThat(Short.toUnsignedInt(tcp.getShort(2))).isEqualTo(8080);
                int clientPort = Short.toUnsignedInt(tcp.getShort(0));
                long clientSeq = Integer.toUnsignedLong(tcp.getInt(4));

                // The peer's SYN-ACK, by hand: MSS 1460 and no window scaling, so 65,535 bytes of window.
                long peerSeq = 0x10000000L;
                byte[] mss1460 = {2, 4, 0x05, (byte) 0xb4};
                byte[] synAck = Packets.tcp(peer, 8080, local, clientPort, peerSeq, clientSeq + 1,
                        Packets.TCP_SYN | Packets.TCP_ACK, 65535, mss1460, new byte[0]);
                assertThat(tun.write(withHeader(synAck), 0, HDR + synAck.length)).isEqualTo(HDR + synAck.length);
                awaitConnected(client);

                // The send buffer takes what it can; the first congestion window is all the test needs.
                assertThat(client.write(ByteBuffer.allocate(60_000))).isGreaterThan(3 * 1460);
                int segment = readTcpWithPayload(tun, buf);
                ByteBuffer h = header(buf);
                assertThat(h.get(1)).as("gso_type").isEqualTo((byte) GSO_TCPV4);
                assertThat(Short.toUnsignedInt(h.getShort(4))).as("gso_size: the MSS").isEqualTo(1460);
                assertThat(h.get(0)).as("flags").isEqualTo((byte) F_NEEDS_CSUM);
                assertThat(segment - HDR).as("one packet longer than the 1500-byte MTU").isGreaterThan(1500);
                assertThat(Short.toUnsignedInt(ByteBuffer.wrap(buf).getShort(HDR + 2)))
                        .as("IP total length of the super-packet").isEqualTo(segment - HDR);
            }
            return null;
        });
    }

    private TunDevice up(TunDevice tun) {
        try (Netlink netlink = Netlink.open()) {
            netlink.addAddress(tun.name(), local, 24);
            netlink.setLinkUp(tun.name());
        } catch (RuntimeException e) {
            tun.close();
            throw e;
        }
        return tun;
    }

    private static void awaitConnected(SocketChannel client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!client.finishConnect()) {
            assertThat(System.nanoTime()).as("connected before the deadline").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** The next TCP segment the kernel sends into the TUN; returns bytes read, header included. */
    private static int readTcp(TunDevice tun, byte[] buf) {
        return readIpv4(tun, buf, HDR, Packets.TCP);
    }

    /** Skips pure ACKs up to the first segment that carries data. */
    private static int readTcpWithPayload(TunDevice tun, byte[] buf) {
        for (;;) {
            int n = readTcp(tun, buf);
            int tcpHeader = ((buf[HDR + 20 + 12] & 0xff) >> 4) * 4;
            if (n > HDR + 20 + tcpHeader) {
                return n;
            }
        }
    }

    /** Reads until an IPv4 packet of {@code protocol} starts at {@code ipOffset} (skipping e.g. IPv6 solicitations). */
    private static int readIpv4(TunDevice tun, byte[] buf, int ipOffset, int protocol) {
        // The watchdog closes the device at the deadline: read() then returns -1, no hang.
        var timeout = Watchdog.closeAfter(tun, DEADLINE_SECONDS);
        try {
            for (;;) {
                int n = tun.read(buf, 0, buf.length);
                assertThat(n).as("packet before the deadline").isNotNegative();
                if (n > ipOffset + 20 && (buf[ipOffset] >> 4) == 4 && buf[ipOffset + 9] == protocol) {
                    return n;
                }
            }
        } finally {
            timeout.cancel(false);
        }
    }

    /** Polls every queue (their fds are non-blocking) until one has a bare IPv4 packet of {@code protocol}. */
    private static int readIpv4Anywhere(List<TunDevice> queues, byte[] buf, int protocol) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (System.nanoTime() < deadline) {
            for (TunDevice queue : queues) {
                long n = HeapArrayIo.read(queue.fd(), buf, 0, buf.length);
                if (n > 20 && (buf[0] >> 4) == 4 && buf[9] == protocol) {
                    return (int) n;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no IPv4 packet of protocol " + protocol + " on any queue before the deadline");
    }

    /** The virtio_net_hdr at the start of {@code buf}, in the host's (little-endian) order. */
    private static ByteBuffer header(byte[] buf) {
        return ByteBuffer.wrap(buf, 0, HDR).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code packet} behind a header of zeros: no GSO, checksum complete. */
    private static byte[] withHeader(byte[] packet) {
        byte[] out = new byte[HDR + packet.length];
        System.arraycopy(packet, 0, out, HDR, packet.length);
        return out;
    }

    /** Udp InCsumErrors of this thread's namespace (RFC 4113's udpInErrors family, /proc/net/snmp). */
    private static long udpInCsumErrors() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/thread-self/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp: ") && lines.get(i + 1).startsWith("Udp: ")) {
                List<String> names = Arrays.asList(lines.get(i).split(" "));
                String[] values = lines.get(i + 1).split(" ");
                return Long.parseLong(values[names.indexOf("InCsumErrors")]);
            }
        }
        throw new IllegalStateException("no Udp lines in /proc/thread-self/net/snmp");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
