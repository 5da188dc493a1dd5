package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.tun.netns.NetworkNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IKE on the data plane's sockets (RFC 3948 2.2): marker stripped on receive, added on send. */
class IkePortsIT {
    private static final int NAT_T_PORT = 24500;
    private static final int IKE_PORT = 24501;

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
    }

    @Test
    void ikeDatagramsReachTheSinkAndGoOutOnTheRightPort() throws Exception {
        NetworkNamespace.isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            try (DataPlane plane = DataPlane.start(new DataPlane.Settings("cwike0", 1, lo, NAT_T_PORT, IKE_PORT, false),
                    (datagram, from, to) -> received.add(datagram));
                    DatagramSocket peer = new DatagramSocket(new InetSocketAddress(lo, 0))) {
                peer.setSoTimeout(5000);
                send(peer, new byte[] {0, 0, 0, 0, 'n', 'a', 't'}, NAT_T_PORT);
                assertThat(received.poll(5, TimeUnit.SECONDS)).as("marker stripped").containsExactly('n', 'a', 't');

                send(peer, new byte[] {(byte) 0xff}, NAT_T_PORT); // keepalive: not IKE
                send(peer, new byte[] {'i', 'k', 'e'}, IKE_PORT);
                assertThat(received.poll(5, TimeUnit.SECONDS)).as("port 500 as it is").containsExactly('i', 'k', 'e');

                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                plane.sendIke(new byte[] {'a', 'b'}, peerAddress, true);
                DatagramPacket viaNatT = receive(peer);
                assertThat(viaNatT.getPort()).isEqualTo(NAT_T_PORT);
                assertThat(Arrays.copyOf(viaNatT.getData(), viaNatT.getLength())).containsExactly(0, 0, 0, 0, 'a', 'b');

                plane.sendIke(new byte[] {'c', 'd'}, peerAddress, false);
                DatagramPacket viaIke = receive(peer);
                assertThat(viaIke.getPort()).isEqualTo(IKE_PORT);
                assertThat(Arrays.copyOf(viaIke.getData(), viaIke.getLength())).containsExactly('c', 'd');

                plane.sendKeepalive(peerAddress);
                DatagramPacket keepalive = receive(peer);
                assertThat(Arrays.copyOf(keepalive.getData(), keepalive.getLength())).containsExactly(0xff);
                assertThat(received).as("the keepalive never reached the IKE sink").isEmpty();
            }
            return null;
        });
    }

    private static void send(DatagramSocket socket, byte[] data, int port) throws Exception {
        socket.send(new DatagramPacket(data, data.length, InetAddress.getByName("127.0.0.1"), port));
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[256], 256);
        socket.receive(p);
        return p;
    }
}
