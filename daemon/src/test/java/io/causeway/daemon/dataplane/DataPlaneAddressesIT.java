package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.tun.netns.NetworkNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A data plane on several local addresses (in a namespace of its own, on its loopback's 127.0.0.0/8): each address
 * has its own IKE sockets, a datagram reports the address it came in on, IKE leaves from the address it is sent
 * from, an address can be opened later, and one that is not the host's fails with nothing left open.
 */
class DataPlaneAddressesIT {
    private static final int NAT_T_PORT = 24510;
    private static final int IKE_PORT = 24511;

    private record Received(byte[] bytes, InetSocketAddress from, InetSocketAddress to) {
    }

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
    }

    @Test
    void eachLocalAddressReceivesAndSendsOnItsOwnSockets() throws Exception {
        NetworkNamespace.isolated(() -> {
            InetAddress one = InetAddress.getByName("127.0.0.1");
            InetAddress two = InetAddress.getByName("127.0.0.2");
            InetAddress three = InetAddress.getByName("127.0.0.3");
            BlockingQueue<Received> received = new LinkedBlockingQueue<>();
            try (DataPlane plane = DataPlane.start(
                    new DataPlane.Settings("cwaddr0", 1, List.of(one, two), NAT_T_PORT, IKE_PORT, true),
                    (datagram, from, to) -> received.add(new Received(datagram, from, to)));
                    DatagramSocket peer = new DatagramSocket(new InetSocketAddress(one, 0))) {
                peer.setSoTimeout(5000);
                assertThat(plane.locals()).containsExactly(one, two);

                for (InetAddress local : List.of(one, two)) {
                    send(peer, new byte[] {'i', 'k', 'e'}, local, IKE_PORT);
                    Received r = received.poll(5, TimeUnit.SECONDS);
                    assertThat(r).as("IKE to %s", local).isNotNull();
                    assertThat(r.to()).isEqualTo(new InetSocketAddress(local, IKE_PORT));
                    send(peer, new byte[] {0, 0, 0, 0, 'n'}, local, NAT_T_PORT);
                    r = received.poll(5, TimeUnit.SECONDS);
                    assertThat(r).as("IKE on 4500 to %s", local).isNotNull();
                    assertThat(r.to()).isEqualTo(new InetSocketAddress(local, NAT_T_PORT));
                }

                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                plane.sendIke(new byte[] {'a'}, two, peerAddress, false);
                assertThat(receive(peer).getSocketAddress()).isEqualTo(new InetSocketAddress(two, IKE_PORT));
                plane.sendIke(new byte[] {'b'}, two, peerAddress, true);
                DatagramPacket viaNatT = receive(peer);
                assertThat(viaNatT.getSocketAddress()).isEqualTo(new InetSocketAddress(two, NAT_T_PORT));
                assertThat(Arrays.copyOf(viaNatT.getData(), viaNatT.getLength())).containsExactly(0, 0, 0, 0, 'b');
                plane.sendKeepalive(two, peerAddress);
                assertThat(receive(peer).getSocketAddress()).isEqualTo(new InetSocketAddress(two, NAT_T_PORT));
                plane.sendIke(new byte[] {'c'}, peerAddress, false);
                assertThat(receive(peer).getSocketAddress()).as("without an address: the first")
                        .isEqualTo(new InetSocketAddress(one, IKE_PORT));

                // an address without sockets drops what would leave from it
                plane.sendIke(new byte[] {'d'}, three, peerAddress, false);
                peer.setSoTimeout(300);
                assertThatThrownBy(() -> receive(peer)).isInstanceOf(SocketTimeoutException.class);
                peer.setSoTimeout(5000);

                assertThat(plane.open(three)).isTrue();
                assertThat(plane.open(three)).as("already open").isFalse();
                assertThat(plane.locals()).containsExactly(one, two, three);
                send(peer, new byte[] {'e'}, three, IKE_PORT);
                assertThat(received.poll(5, TimeUnit.SECONDS).to()).isEqualTo(new InetSocketAddress(three, IKE_PORT));
                plane.sendIke(new byte[] {'f'}, three, peerAddress, false);
                assertThat(receive(peer).getSocketAddress()).isEqualTo(new InetSocketAddress(three, IKE_PORT));

                // not an address of this namespace: nothing stays bound, so the ports of 127.0.0.3 are still ours only
                InetAddress foreign = InetAddress.getByName("192.0.2.99");
                assertThatThrownBy(() -> plane.open(foreign)).hasMessageContaining("192.0.2.99");
                assertThat(plane.locals()).containsExactly(one, two, three);

                plane.close(three);
                assertThat(plane.locals()).containsExactly(one, two);
                try (DatagramSocket rebound = new DatagramSocket(new InetSocketAddress(three, IKE_PORT))) {
                    assertThat(rebound.isBound()).as("closing an address frees its ports").isTrue();
                }
                plane.close(one);
                assertThat(plane.locals()).as("the first address stays").containsExactly(one, two);
            }
            return null;
        });
    }

    private static void send(DatagramSocket socket, byte[] data, InetAddress to, int port) throws Exception {
        socket.send(new DatagramPacket(data, data.length, to, port));
    }

    private static DatagramPacket receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[256], 256);
        socket.receive(p);
        return p;
    }
}
