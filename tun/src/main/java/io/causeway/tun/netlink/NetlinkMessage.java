package io.causeway.tun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: its header fields and its payload (everything after the
 * 16-byte nlmsghdr) as a host-order buffer whose position 0 is the payload start.
 */
record NetlinkMessage(int type, int flags, int seq, int portId, ByteBuffer payload) {

    /** Splits a datagram from a netlink socket into messages; stops at a truncated one. */
    static List<NetlinkMessage> parseAll(byte[] data, int length) {
        ByteBuffer buf = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int pos = 0;
        while (pos + Rtnl.NLMSG_HDRLEN <= length) {
            int len = buf.getInt(pos);
            if (len < Rtnl.NLMSG_HDRLEN || pos + len > length) {
                break;
            }
            int type = Short.toUnsignedInt(buf.getShort(pos + 4));
            int flags = Short.toUnsignedInt(buf.getShort(pos + 6));
            int seq = buf.getInt(pos + 8);
            int port = buf.getInt(pos + 12);
            ByteBuffer payload = buf.duplicate().position(pos + Rtnl.NLMSG_HDRLEN).limit(pos + len)
                    .slice().order(ByteOrder.nativeOrder());
            messages.add(new NetlinkMessage(type, flags, seq, port, payload));
            pos += Rtnl.align(len);
        }
        return messages;
    }

    /** For NLMSG_ERROR: the negated errno (0 means an ACK). */
    int errorCode() {
        return payload.getInt(0);
    }

    /**
     * For NLMSG_ERROR with extended ACK (NETLINK_EXT_ACK): the kernel's explanation, or null.
     * Layout: s32 error, the request's nlmsghdr (plus its payload unless NLM_F_CAPPED), TLVs.
     */
    String extendedAckMessage() {
        if ((flags & Rtnl.NLM_F_ACK_TLVS) == 0 || payload.limit() < 4 + Rtnl.NLMSG_HDRLEN) {
            return null;
        }
        int offset = 4 + ((flags & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : Rtnl.align(payload.getInt(4)));
        if (offset > payload.limit()) {
            return null;
        }
        return RtAttributes.parse(payload, offset).string(Rtnl.NLMSGERR_ATTR_MSG);
    }
}
