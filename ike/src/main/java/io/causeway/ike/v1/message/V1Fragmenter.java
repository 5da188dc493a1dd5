package io.causeway.ike.v1.message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an IKEv1 datagram (header included, encrypted or not) into fragment messages the way Cisco
 * and strongSwan do (payload 132, announced with {@link KnownVendorIds#FRAGMENTATION}): each fragment
 * is an unencrypted message with the same cookies, message id 0, no flags, and one fragment payload
 * carrying the next piece of the original datagram. strongSwan uses fragment id 1 and the phase-1
 * exchange type (main or aggressive mode) in every fragment, quick mode ones included.
 */
public final class V1Fragmenter {
    /** ISAKMP header plus fragment payload generic header and fragment fields. */
    public static final int OVERHEAD = IsakmpHeader.LENGTH + V1PayloadChain.GENERIC_HEADER_LENGTH
            + FragmentPayload1.HEADER_LENGTH;
    /** The fragment number is one octet. */
    public static final int MAX_FRAGMENTS = 255;

    private V1Fragmenter() {
    }

    /**
     * Fragments with the exchange type strongSwan uses: AGGRESSIVE when the datagram is an aggressive mode
     * message, IDENTITY_PROTECTION otherwise. For quick mode or informational messages of an SA set up in
     * aggressive mode, use {@link #split(byte[], int, int, int)} with AGGRESSIVE to match strongSwan.
     *
     * @param maxFragmentBytes the largest fragment message (ISAKMP header included, IP and UDP headers and
     *                         the non-ESP marker excluded): strongSwan's fragment_size (an IP datagram size)
     *                         minus 28 for IPv4 (48 for IPv6), minus 4 more on port 4500
     */
    public static List<byte[]> split(byte[] datagram, int maxFragmentBytes, int fragmentId) {
        int exchange = exchangeOf(datagram) == V1ExchangeType.AGGRESSIVE ? V1ExchangeType.AGGRESSIVE
                : V1ExchangeType.IDENTITY_PROTECTION;
        return split(datagram, maxFragmentBytes, fragmentId, exchange);
    }

    public static List<byte[]> split(byte[] datagram, int maxFragmentBytes, int fragmentId, int exchangeType) {
        IsakmpHeader original;
        try {
            original = IsakmpHeader.decode(datagram);
        } catch (V1ParseException e) {
            throw new IllegalArgumentException("not an ISAKMP datagram: " + e.getMessage(), e);
        }
        byte[] message = Arrays.copyOf(datagram, original.length());
        int chunk = maxFragmentBytes - OVERHEAD;
        if (chunk < 1) {
            throw new IllegalArgumentException("fragments of " + maxFragmentBytes + " bytes leave no room for data");
        }
        int count = (message.length + chunk - 1) / chunk;
        if (count > MAX_FRAGMENTS) {
            throw new IllegalArgumentException(message.length + " bytes need " + count + " fragments, more than 255");
        }
        IsakmpHeader header = IsakmpHeader.of(original.initiatorCookie(), original.responderCookie(), exchangeType, 0, 0);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] piece = Arrays.copyOfRange(message, i * chunk, Math.min(message.length, (i + 1) * chunk));
            FragmentPayload1 fragment = new FragmentPayload1(fragmentId, i + 1, i == count - 1 ? FragmentPayload1.LAST : 0,
                    piece);
            out.add(V1Message.encode(header, List.of(fragment)));
        }
        return List.copyOf(out);
    }

    private static int exchangeOf(byte[] datagram) {
        return datagram.length >= IsakmpHeader.LENGTH ? ByteBuffer.wrap(datagram).get(18) & 0xff : -1;
    }
}
