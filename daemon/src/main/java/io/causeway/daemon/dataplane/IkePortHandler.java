package io.causeway.daemon.dataplane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** Port 500 carries only IKE (RFC 7296 2.11): every datagram goes to the IKE sink as it is. */
final class IkePortHandler extends SimpleChannelInboundHandler<DatagramPacket> {
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
        ike.receive(ByteBufUtil.getBytes(content), packet.sender(), packet.recipient());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.internalError.increment(); // input from the network never ends the receive loop
    }
}
