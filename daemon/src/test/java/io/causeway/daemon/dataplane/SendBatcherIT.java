package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.tun.netns.NetworkNamespace;
import io.causeway.tun.socket.RawSocket;
import io.causeway.tun.socket.SockAddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Raw ESP through the batcher on the loopback of a scratch namespace: batches per SA, the wire in sealing order. */
class SendBatcherIT {
    private static final int IPV4_HEADER = 20;

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
    }

    @Test
    void anotherSaOrADirectSendFlushesWhatIsQueuedFirst() throws Exception {
        NetworkNamespace.isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                DataPathCounters counters = new DataPathCounters();
                SendBatcher batcher = new SendBatcher(true, counters);
                RawEspEgress a = new RawEspEgress(sender, lo);
                RawEspEgress b = new RawEspEgress(sender, lo);
                SockAddr to = SockAddr.of(new InetSocketAddress(lo, 0));
                Egress direct = (buf, off, len) -> sender.send(buf, off, len, to) >= 0;
                Egress[] order = {a, a, b, a, direct, a};
                for (int i = 0; i < order.length; i++) {
                    byte[] d = datagram(i);
                    batcher.send(order[i], d, 0, d.length);
                }
                batcher.flush();

                assertThat(receiveIndices(receiver, order.length)).containsExactly(0, 1, 2, 3, 4, 5);
                assertThat(counters.rawBatchSends.sum()).as("only 0 and 1 shared a sendmmsg").isEqualTo(1);
                assertThat(counters.sendFailed.sum()).isZero();
            }
            return null;
        });
    }

    @Test
    void aReadOfMoreDatagramsThanABatchHoldsLeavesInTwoBatchesInOrder() throws Exception {
        NetworkNamespace.isolated(() -> {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (RawSocket receiver = RawSocket.open(false, RawSocket.IPPROTO_ESP);
                    RawSocket sender = RawSocket.open(false, RawSocket.IPPROTO_ESP)) {
                receiver.bind(lo);
                DataPathCounters counters = new DataPathCounters();
                SendBatcher batcher = new SendBatcher(true, counters);
                RawEspEgress a = new RawEspEgress(sender, lo);
                for (int i = 0; i < 70; i++) {
                    byte[] d = datagram(i);
                    batcher.send(a, d, 0, d.length);
                }
                batcher.flush();
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 70; i++) expected.add(i);
                assertThat(receiveIndices(receiver, 70)).containsExactlyElementsOf(expected);
                assertThat(counters.rawBatchSends.sum()).as("64, then 6").isEqualTo(2);
                assertThat(counters.sendFailed.sum()).isZero();
            }
            return null;
        });
    }

    /** Loopback delivers within the send, so everything sent is queued by now; one by one, in arrival order. */
    private static List<Integer> receiveIndices(RawSocket receiver, int count) {
        List<Integer> indices = new ArrayList<>();
        byte[] buf = new byte[2000];
        SockAddr from = SockAddr.receiver();
        for (int i = 0; i < count; i++) {
            int n = receiver.receive(buf, 0, buf.length, from);
            assertThat(n).isEqualTo(IPV4_HEADER + datagram(0).length);
            indices.add(buf[IPV4_HEADER] & 0xff);
        }
        return indices;
    }

    private static byte[] datagram(int index) {
        byte[] d = new byte[100];
        d[0] = (byte) index;
        return d;
    }
}
