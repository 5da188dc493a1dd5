package io.causeway.daemon.dataplane;

import io.causeway.tun.socket.SockAddr;
import io.causeway.tun.socket.UdpReceiveBuffer;
import io.causeway.tun.socket.UdpSendBatch;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A port-4500 socket in memory, for {@link DataPathAllocationTest} and the bench module's DataPathBench. Sending
 * counts the datagrams (a GSO batch is emptied as the kernel's sendmsg leaves it) and, when asked to, keeps copies
 * of the ones sent one by one, which is how a test captures what the outbound path sealed. Receiving hands out the
 * one batch {@link #arrive} set, once.
 */
final class MemoryEncapSocket implements EncapSocket {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 4500);

    private final SockAddr sender = SockAddr.of(new InetSocketAddress("192.0.2.2", 4500));
    private final List<byte[]> captured;
    private long sent;
    private long gsoSends;
    private byte[] arriving;
    private int arrivingOff;
    private int arrivingLen;
    private int arrivingSegment;

    /** @param capture whether datagrams sent one by one ({@link #sendTo}) are kept, see {@link #takeCaptured} */
    MemoryEncapSocket(boolean capture) {
        this.captured = capture ? new ArrayList<>() : null;
    }

    @Override
    public int receive(UdpReceiveBuffer into) {
        if (arriving == null) return -1;
        into.fillForTest(arriving, arrivingOff, arrivingLen, arrivingSegment, sender);
        arriving = null;
        return into.length();
    }

    @Override
    public int sendTo(byte[] buf, int off, int len, SockAddr to) {
        if (captured != null) captured.add(Arrays.copyOfRange(buf, off, off + len));
        sent++;
        return len;
    }

    @Override
    public int send(UdpSendBatch batch, SockAddr to) {
        int n = batch.count();
        batch.clear();
        sent += n;
        gsoSends++;
        return n;
    }

    @Override
    public long earlierDatagramErrors() {
        return 0;
    }

    @Override
    public InetSocketAddress local() {
        return LOCAL;
    }

    /** The next {@link #receive} returns {@code data[off, off+len)}, a GRO batch of {@code segment}-byte datagrams. */
    void arrive(byte[] data, int off, int len, int segment) {
        arriving = data;
        arrivingOff = off;
        arrivingLen = len;
        arrivingSegment = segment;
    }

    long sent() {
        return sent;
    }

    long gsoSends() {
        return gsoSends;
    }

    /** The datagrams sent one by one since the last call, oldest first. */
    List<byte[]> takeCaptured() {
        List<byte[]> out = List.copyOf(captured);
        captured.clear();
        return out;
    }
}
