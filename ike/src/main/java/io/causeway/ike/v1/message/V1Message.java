package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * An ISAKMP message (RFC 2408 3.1): header and payload chain, each payload with its octets as received.
 * Plain messages come from {@link #decodePlain}; encrypted ones from {@link V1Encryption#decrypt}.
 */
public record V1Message(IsakmpHeader header, List<DecodedPayload1> payloads) {
    public V1Message {
        payloads = List.copyOf(payloads);
    }

    /**
     * Decodes an unencrypted datagram: the header, then the chain in the octets the header's length
     * covers. A message with the E flag is refused (BAD_VALUE): decrypt it with {@link V1Encryption}.
     */
    public static V1Message decodePlain(byte[] datagram) throws V1ParseException {
        IsakmpHeader header = IsakmpHeader.decode(datagram);
        if (header.encrypted()) {
            throw new V1ParseException(Reason.BAD_VALUE, "message has the encryption flag; decrypt it first");
        }
        List<DecodedPayload1> chain = V1PayloadChain.decode(header.nextPayload(), datagram, IsakmpHeader.LENGTH,
                header.length() - IsakmpHeader.LENGTH);
        return new V1Message(header, chain);
    }

    /** Header (next payload and length filled in) followed by the chain; no encryption. */
    public static byte[] encode(IsakmpHeader headerWithoutLength, List<? extends V1Payload> payloads) {
        int length = IsakmpHeader.LENGTH + V1PayloadChain.encodedLength(payloads);
        ByteBuffer out = ByteBuffer.allocate(length);
        headerWithoutLength.withNextPayload(V1PayloadChain.firstType(payloads)).withLength(length).encode(out);
        V1PayloadChain.encode(payloads, out);
        return out.array();
    }

    /** The first payload of a class. */
    public <T extends V1Payload> Optional<T> first(Class<T> type) {
        return payloads.stream().map(DecodedPayload1::payload).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Every payload of a class, in message order. */
    public <T extends V1Payload> List<T> all(Class<T> type) {
        return payloads.stream().map(DecodedPayload1::payload).filter(type::isInstance).map(type::cast).toList();
    }

    /** The first notification of a type. */
    public Optional<NotifyPayload1> notify(int notifyType) {
        return all(NotifyPayload1.class).stream().filter(n -> n.notifyType() == notifyType).findFirst();
    }

    /** Index of the first payload of a payload type number, or -1. */
    public int indexOf(int payloadType) {
        for (int i = 0; i < payloads.size(); i++) {
            if (payloads.get(i).type() == payloadType) {
                return i;
            }
        }
        return -1;
    }

    /** The first payload of a type number with its wire octets (e.g. the SA whose body HASH_I covers). */
    public Optional<DecodedPayload1> decoded(int payloadType) {
        int i = indexOf(payloadType);
        return i < 0 ? Optional.empty() : Optional.of(payloads.get(i));
    }

    /** See {@link V1PayloadChain#wireBytesAfter}. */
    public byte[] wireBytesAfter(int index) {
        return V1PayloadChain.wireBytesAfter(payloads, index);
    }

    /** The payloads without their wire octets. */
    public List<V1Payload> payloadList() {
        return V1PayloadChain.payloads(payloads);
    }

    @Override
    public String toString() {
        return header + " " + payloads;
    }
}
