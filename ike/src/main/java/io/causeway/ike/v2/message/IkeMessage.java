package io.causeway.ike.v2.message;

import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole IKEv2 message (RFC 7296 3): header, payloads and its exact octets. For a protected message
 * the payloads are the unencrypted ones followed by the SK or SKF payload still encrypted; decrypt
 * with {@link #skLayout(int, int)} and decode the inner chain with {@link PayloadChain#decodeInner}.
 * The octets are kept because AUTH signs the IKE_SA_INIT messages exactly as sent (RFC 7296 2.15).
 */
public final class IkeMessage {
    /** Never decode more than UDP can carry; guards the length field of a reassembled or bogus input. */
    public static final int MAX_LENGTH = 65535;

    private final IkeHeader header;
    private final List<Payload> payloads;
    private final byte[] bytes;
    private final int encryptedPayloadOffset;

    private IkeMessage(IkeHeader header, List<Payload> payloads, byte[] bytes, int encryptedPayloadOffset) {
        this.header = header;
        this.payloads = List.copyOf(payloads);
        this.bytes = bytes;
        this.encryptedPayloadOffset = encryptedPayloadOffset;
    }

    /**
     * Builds and encodes a message. The header's Next Payload and Length are computed; an SK/SKF payload,
     * if any, must be last and already hold its encrypted octets.
     */
    public static IkeMessage of(IkeHeader header, List<? extends Payload> payloads) {
        int length = IkeHeader.LENGTH + PayloadChain.encodedLength(payloads);
        IkeHeader complete = header.withNextPayload(PayloadChain.firstType(payloads)).withLength(length);
        ByteBuffer out = ByteBuffer.allocate(length);
        complete.encode(out);
        PayloadChain.encode(payloads, out);
        int encryptedAt = -1;
        if (!payloads.isEmpty() && (payloads.get(payloads.size() - 1) instanceof SkPayload
                || payloads.get(payloads.size() - 1) instanceof SkfPayload)) {
            Payload last = payloads.get(payloads.size() - 1);
            encryptedAt = length - PayloadChain.GENERIC_HEADER_LENGTH - last.bodyLength();
        }
        return new IkeMessage(complete, new ArrayList<>(payloads), out.array(), encryptedAt);
    }

    public static IkeMessage decode(byte[] datagram) throws InvalidMessageException {
        return decode(datagram, 0, datagram.length);
    }

    /** Decodes one IKE message that is exactly {@code length} octets (the UDP payload without any non-ESP marker). */
    public static IkeMessage decode(byte[] buffer, int offset, int length) throws InvalidMessageException {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + buffer.length + " bytes");
        }
        if (length > MAX_LENGTH) {
            throw new InvalidMessageException(Reason.LIMIT_EXCEEDED, "message of " + length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(buffer, offset, length).slice();
        IkeHeader header = IkeHeader.decode(in);
        if (header.length() != length) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "IKE header says " + header.length()
                    + " bytes, datagram has " + length);
        }
        int[] encryptedAt = {-1};
        List<Payload> payloads = PayloadChain.decode(header.nextPayload(), in, true, encryptedAt);
        byte[] copy = new byte[length];
        System.arraycopy(buffer, offset, copy, 0, length);
        return new IkeMessage(header, payloads, copy, encryptedAt[0]);
    }

    /**
     * A protected message ready for encryption (RFC 7296 3.14): header, the unencrypted payloads (usually
     * none) and an SK payload whose IV, ciphertext and ICV octets are zero. The caller writes the IV,
     * encrypts the padded inner chain into the ciphertext range ({@link SkLayout#paddedLength}) and writes
     * the ICV, all in {@link SkLayout#message()}.
     */
    public static SkLayout encodeProtected(IkeHeader header, List<? extends Payload> unencrypted, int firstInnerType,
                                           int ivLength, int ciphertextLength, int icvLength) {
        List<Payload> payloads = new ArrayList<>(unencrypted);
        payloads.add(new SkPayload(firstInnerType, new byte[ivLength + ciphertextLength + icvLength]));
        return layoutOf(of(header, payloads), ivLength, icvLength);
    }

    /**
     * One fragment of a fragmented protected message (RFC 7383 2.5), like {@link #encodeProtected}.
     * firstInnerType is written only in fragment 1; the others carry 0 as the RFC requires.
     */
    public static SkLayout encodeFragment(IkeHeader header, int fragmentNumber, int totalFragments, int firstInnerType,
                                          int ivLength, int ciphertextLength, int icvLength) {
        int next = fragmentNumber == 1 ? firstInnerType : PayloadType.NONE;
        SkfPayload skf = new SkfPayload(fragmentNumber, totalFragments, next, new byte[ivLength + ciphertextLength + icvLength]);
        return layoutOf(of(header, List.of(skf)), ivLength, icvLength);
    }

    private static SkLayout layoutOf(IkeMessage message, int ivLength, int icvLength) {
        try {
            return message.skLayout(ivLength, icvLength);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException(e);
        }
    }

    public IkeHeader header() {
        return header;
    }

    public List<Payload> payloads() {
        return payloads;
    }

    /** The exact octets of the message (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Whether the last payload is SK or SKF. */
    public boolean isProtected() {
        return encryptedPayloadOffset >= 0;
    }

    /** Offset of the SK/SKF generic payload header, or -1. */
    public int encryptedPayloadOffset() {
        return encryptedPayloadOffset;
    }

    /**
     * The byte ranges of the SK or SKF payload for the given cipher's IV and ICV sizes, over a copy of the
     * message octets. Throws if there is no SK/SKF payload or it is too short for them.
     */
    public SkLayout skLayout(int ivLength, int icvLength) throws InvalidMessageException {
        if (!isProtected()) {
            throw new InvalidMessageException(Reason.BAD_VALUE, "message has no SK or SKF payload");
        }
        boolean fragment = payloads.get(payloads.size() - 1) instanceof SkfPayload;
        int headerLength = PayloadChain.GENERIC_HEADER_LENGTH + (fragment ? SkfPayload.FRAGMENT_FIELDS_LENGTH : 0);
        return new SkLayout(bytes.clone(), encryptedPayloadOffset + headerLength, ivLength, icvLength);
    }

    public Optional<SkPayload> sk() {
        return first(SkPayload.class);
    }

    public Optional<SkfPayload> skf() {
        return first(SkfPayload.class);
    }

    /** The payloads of one class, in message order. */
    public <T extends Payload> List<T> all(Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (Payload p : payloads) {
            if (kind.isInstance(p)) {
                out.add(kind.cast(p));
            }
        }
        return out;
    }

    public <T extends Payload> Optional<T> first(Class<T> kind) {
        List<T> found = all(kind);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The Notify payloads of one type. */
    public List<NotifyPayload> notifies(int notifyType) {
        return all(NotifyPayload.class).stream().filter(n -> n.notifyType() == notifyType).toList();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(header.toString()).append(" [");
        for (int i = 0; i < payloads.size(); i++) {
            s.append(i == 0 ? "" : " ").append(payloads.get(i));
        }
        return s.append("]").toString();
    }
}
