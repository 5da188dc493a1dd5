package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Traffic Selector payload TSi/TSr (RFC 7296 3.13): a count, three reserved octets, the selectors. */
public record TrafficSelectorPayload(boolean initiator, List<TrafficSelector> selectors) implements Payload {
    public TrafficSelectorPayload {
        selectors = List.copyOf(selectors);
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("a traffic selector payload needs at least one selector");
        }
        Wire.checkU8(selectors.size(), "number of selectors");
    }

    public static TrafficSelectorPayload decode(boolean initiator, ByteBuffer body) throws InvalidMessageException {
        int count = Wire.u8(body, "number of TSs");
        Wire.u24(body, "TS reserved");
        if (count == 0) {
            throw new InvalidMessageException(Reason.BAD_VALUE, "traffic selector payload with zero selectors");
        }
        List<TrafficSelector> selectors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            selectors.add(TrafficSelector.decode(body));
        }
        Wire.noTrailingBytes(body, "traffic selector payload");
        return new TrafficSelectorPayload(initiator, selectors);
    }

    /** The address range selectors, skipping opaque ones. */
    public List<AddressRangeSelector> addressRanges() {
        List<AddressRangeSelector> out = new ArrayList<>();
        for (TrafficSelector s : selectors) {
            if (s instanceof AddressRangeSelector range) {
                out.add(range);
            }
        }
        return out;
    }

    @Override
    public int type() {
        return initiator ? PayloadType.TSI : PayloadType.TSR;
    }

    @Override
    public int bodyLength() {
        int length = 4;
        for (TrafficSelector s : selectors) {
            length += s.encodedLength();
        }
        return length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        Wire.putU8(out, selectors.size());
        Wire.putU24(out, 0);
        selectors.forEach(s -> s.encode(out));
    }

    @Override
    public String toString() {
        return (initiator ? "TSi" : "TSr") + selectors;
    }
}
