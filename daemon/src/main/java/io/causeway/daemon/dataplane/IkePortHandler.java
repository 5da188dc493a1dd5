package io.causeway.daemon.dataplane;

import io.causeway.ike.sa.IkeIntakeScreen;
import io.causeway.tun.socket.AddressHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** Port 500 carries only IKE (RFC 7296 2.11): every datagram goes to the IKE sink as it is. */
final class IkePortHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    /** The first octets of a datagram, for the screen; one per event-loop thread (the handler may be shared). */
    private static final ThreadLocal<byte[]> HEADER =
            ThreadLocal.withInitial(() -> new byte[IkeIntakeScreen.HEADER_LENGTH]);

    private final IkeDatagramSink ike;
    private final DataPathCounters counters;

    IkePortHandler(IkeDatagramSink ike, DataPathCounters counters) {
        this.ike = ike;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        counters.ikeDatagrams.increment();
        // Netty has allocated the packet and its addresses by now; what we would add (the copy) waits for the screen
        int len = content.readableBytes();
        byte[] header = HEADER.get();
        content.getBytes(content.readerIndex(), header, 0, Math.min(len, header.length));
        IkeIntakeScreen.Verdict verdict = ike.screen(header, 0, len, AddressHash.of(packet.sender().getAddress()));
        if (verdict != IkeIntakeScreen.Verdict.PASS) {
            if (verdict == IkeIntakeScreen.Verdict.MALFORMED) counters.malformed.increment();
            return;
        }
        ike.receive(ByteBufUtil.getBytes(content), packet.sender(), packet.recipient());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.internalError.increment(); // input from the network never ends the receive loop
    }
}
