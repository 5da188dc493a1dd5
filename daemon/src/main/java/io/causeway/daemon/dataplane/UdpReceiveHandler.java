package io.causeway.daemon.dataplane;

import io.causeway.esp.encap.UdpEncap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
  * Demultiplexes datagrams on a UDP-encapsulation socket (RFC 3948 2.2): a single 0xFF byte is
  * a NAT keepalive, four zero bytes mark IKE, anything else is ESP and goes to the inbound path.
  * One handler per channel, so its scratch buffer is only touched by that channel's event loop.
  */
final class UdpReceiveHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final InboundPath inbound;
    private final IkeDatagramSink ike;
    private final DataPathCounters counters;
    /** Datagrams land this far in, so a transport-mode payload has room for its IP header in front. */
    private static final int AT = PacketBuffers.HEADROOM;

    private final byte[] scratch = new byte[PacketBuffers.SIZE];

    UdpReceiveHandler(InboundPath inbound, IkeDatagramSink ike, DataPathCounters counters) {
        this.inbound = inbound;
        this.ike = ike;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int len = content.readableBytes();
        if (len > scratch.length - AT) {
            counters.malformed.increment();
            return;
        }
        content.getBytes(content.readerIndex(), scratch, AT, len);
        if (UdpEncap.isKeepalive(scratch, AT, len)) {
            counters.keepalives.increment();
        } else if (UdpEncap.isNonEspMarker(scratch, AT, len)) {
            counters.ikeDatagrams.increment();
            byte[] ikeMessage = new byte[len - 4];
            System.arraycopy(scratch, AT + 4, ikeMessage, 0, ikeMessage.length);
            ike.receive(ikeMessage, packet.sender(), packet.recipient());
        } else {
            inbound.receive(scratch, AT, len);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Input from the network must never end the receive loop: count and go on.
        counters.internalError.increment();
    }
}
