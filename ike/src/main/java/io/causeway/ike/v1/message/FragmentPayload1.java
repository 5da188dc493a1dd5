package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * IKEv1 fragment payload, type 132, as Cisco and strongSwan send it (no RFC): fragment id (2 octets),
 * fragment number (1 octet, from 1), flags (1 octet, {@link #LAST} on the final fragment), then a piece
 * of the original datagram, ISAKMP header included. See {@link V1Fragmenter}.
 */
public record FragmentPayload1(int fragmentId, int number, int flags, byte[] data) implements V1Payload {
    public static final int LAST = 1;
    public static final int HEADER_LENGTH = 4;

    public FragmentPayload1 {
        V1Wire.checkU16(fragmentId, "fragment id");
        V1Wire.checkU8(number, "fragment number");
        if (number == 0) {
            throw new IllegalArgumentException("fragment numbers start at 1");
        }
        V1Wire.checkU8(flags, "fragment flags");
        data = V1Wire.copy(data);
    }

    public static FragmentPayload1 decode(ByteBuffer body) throws V1ParseException {
        int id = V1Wire.u16(body, "fragment id");
        int number = V1Wire.u8(body, "fragment number");
        int flags = V1Wire.u8(body, "fragment flags");
        if (number == 0) {
            throw new V1ParseException(Reason.BAD_VALUE, "fragment number 0");
        }
        return new FragmentPayload1(id, number, flags, V1Wire.rest(body));
    }

    public boolean last() {
        return (flags & LAST) != 0;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int type() {
        return V1PayloadType.FRAGMENT;
    }

    @Override
    public int bodyLength() {
        return HEADER_LENGTH + data.length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        V1Wire.putU16(out, fragmentId);
        V1Wire.putU8(out, number);
        V1Wire.putU8(out, flags);
        out.put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FragmentPayload1 p && p.fragmentId == fragmentId && p.number == number && p.flags == flags
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * fragmentId + number) + flags) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FRAG(id " + fragmentId + ", #" + number + (last() ? " last" : "") + ", " + data.length + " bytes)";
    }
}
