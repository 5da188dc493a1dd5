package io.causeway.ike.sa;

import io.causeway.ike.crypto.CookieGenerator;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.PayloadType;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which received datagrams belong to peers the engine already deals with, decided from the raw octets on any thread
 * (the socket readers), so that the hand-off to the control thread can serve them ahead of strangers when a flood
 * fills it: an IKEv2 message whose SPI of ours (the responder's when the Initiator flag is set, else the initiator's,
 * RFC 7296 3.1) or an IKEv1 message one of whose cookies names an SA we hold, half-open ones included, so that a
 * newcomer's IKE_AUTH counts; and an IKE_SA_INIT request that returns a COOKIE we made (RFC 7296 2.6: the COOKIE
 * notify comes first). Nothing here allocates except the cookie check's digest.
 *
 * <p>The engine publishes its SAs' SPIs here whenever that set changes (a sorted array, replaced whole) and its
 * cookie generator once it makes one. Knowing is only a head start: the engine checks everything again.
 */
public final class KnownPeers {
    private static final int HEADER = 28;
    /** Payloads walked looking for Ni behind the COOKIE: an IKE_SA_INIT request carries about six. */
    private static final int MAX_PAYLOADS = 16;

    private volatile long[] spis = new long[0];
    private volatile CookieGenerator cookies;

    /** Whether the datagram is for an SA of ours or returns a valid cookie; from the address it came from. */
    public boolean known(byte[] d, InetAddress from) {
        if (d.length < HEADER) {
            return false;
        }
        int major = (d[17] & 0xff) >>> 4;
        long spiI = octets8(d, 0);
        long spiR = octets8(d, 8);
        if (major == 1) {
            return ours(spiI) || ours(spiR);
        }
        if (major != 2) {
            return false;
        }
        boolean fromInitiator = (d[19] & 0x08) != 0;
        return ours(fromInitiator ? spiR : spiI) || returnsOurCookie(d, from);
    }

    /** The SPIs (IKEv2) and cookies (IKEv1) of every SA the engine holds now, as our side chose them. */
    void publish(long[] sortedSpis) {
        this.spis = sortedSpis;
    }

    void useCookies(CookieGenerator generator) {
        this.cookies = generator;
    }

    private boolean ours(long spi) {
        return spi != 0 && Arrays.binarySearch(spis, spi) >= 0;
    }

    /** An IKE_SA_INIT request, SPIr 0, first payload N(COOKIE) with a cookie valid for its Ni, SPIi and source. */
    private boolean returnsOurCookie(byte[] d, InetAddress from) {
        CookieGenerator generator = cookies;
        if (generator == null || (d[18] & 0xff) != ExchangeType.IKE_SA_INIT || (d[19] & 0x28) != 0x08
                || octets8(d, 8) != 0 || (d[16] & 0xff) != PayloadType.NOTIFY) {
            return false;
        }
        int end = (int) Math.min(d.length, octets4(d, 24));
        int at = HEADER;
        int type = PayloadType.NOTIFY;
        int cookieAt = -1;
        int cookieLength = 0;
        for (int n = 0; n < MAX_PAYLOADS && type != 0; n++) {
            if (at + 4 > end) {
                return false;
            }
            int next = d[at] & 0xff;
            int length = octets2(d, at + 2);
            if (length < 4 || at + length > end) {
                return false;
            }
            if (n == 0) {
                // Notify: protocol id, SPI size, type; a COOKIE has no SPI (RFC 7296 3.10)
                if (length < 8 || d[at + 5] != 0 || octets2(d, at + 6) != NotifyType.COOKIE) {
                    return false;
                }
                cookieAt = at + 8;
                cookieLength = length - 8;
            } else if (type == PayloadType.NONCE) {
                return generator.isValidIn(d, cookieAt, cookieLength, d, at + 4, length - 4, from, d, 0);
            }
            type = next;
            at += length;
        }
        return false;
    }

    private static long octets8(byte[] d, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (d[at + i] & 0xff);
        }
        return v;
    }

    private static long octets4(byte[] d, int at) {
        return (long) (d[at] & 0xff) << 24 | (d[at + 1] & 0xff) << 16 | (d[at + 2] & 0xff) << 8 | d[at + 3] & 0xff;
    }

    private static int octets2(byte[] d, int at) {
        return (d[at] & 0xff) << 8 | d[at + 1] & 0xff;
    }
}
