package io.causeway.ike.sa;

import io.causeway.ike.v2.message.ExchangeType;
import java.net.InetAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the socket readers decide about a received IKE datagram before it is queued for the control thread, from its
 * raw octets, on any thread and without allocating: drop it when it cannot be an IKE message the engine would decode
 * (framing: shorter than a header, a major version other than 1 or 2, an IKEv2 length field other than the
 * datagram's, an IKEv1 length below 28 or beyond the datagram), or when it is a new IKE_SA_INIT request from a source
 * over its rate (the engine's per-source limit, applied here instead of on the control thread); else tell a known
 * peer's ({@link KnownPeers}) from a stranger's. Under a flood the control thread then sees only what it would have
 * acted on, and a newcomer's first IKE_SA_INIT, which no one can tell from the flood's, is not lost behind junk.
 *
 * <p>Obtained once from {@link IkeEngine#readerTriage}; from then on the engine no longer applies the rate limit
 * itself, so an admitted request pays one token, not two. Framing drops count in the engine's dropped messages,
 * rate refusals in its rate_limited counter.
 */
public final class ReaderTriage {
    /** Where a datagram goes: nowhere, the known peers' lane, or the strangers'. */
    public enum Verdict { DROP, KNOWN, STRANGER }

    private static final int HEADER = 28;

    private final KnownPeers known;
    private final HalfOpenAdmission admission;
    private final LongAdder malformed = new LongAdder();

    ReaderTriage(KnownPeers known, HalfOpenAdmission admission) {
        this.known = known;
        this.admission = admission;
    }

    /** The verdict on one datagram from that address, at now (millis, the engine's clock). */
    public Verdict triage(byte[] d, InetAddress from, long now) {
        if (!framed(d)) {
            malformed.increment();
            return Verdict.DROP;
        }
        if (newInitRequest(d) && !admission.withinRate(from, now)) {
            return Verdict.DROP;
        }
        return known.known(d, from) ? Verdict.KNOWN : Verdict.STRANGER;
    }

    /** Datagrams dropped for their framing. */
    long malformed() {
        return malformed.sum();
    }

    /** The header checks IkeMessage.decode (IKEv2) and IsakmpHeader.decode (IKEv1) make first. */
    private static boolean framed(byte[] d) {
        if (d.length < HEADER) {
            return false;
        }
        long length = (long) (d[24] & 0xff) << 24 | (d[25] & 0xff) << 16 | (d[26] & 0xff) << 8 | d[27] & 0xff;
        return switch ((d[17] & 0xf0) >>> 4) {
            case 2 -> length == d.length;
            case 1 -> length >= HEADER && length <= d.length;
            default -> false;
        };
    }

    /**
     * Whether the raw header (RFC 7296 3.1) is an IKE_SA_INIT request without a responder SPI: the only datagram that
     * may create state, so the only one the per-source rate limit counts.
     */
    static boolean newInitRequest(byte[] b) {
        if (b.length < HEADER || (b[17] & 0xf0) != 0x20 || (b[18] & 0xff) != ExchangeType.IKE_SA_INIT
                || (b[19] & 0x28) != 0x08) {
            return false;
        }
        for (int i = 8; i < 16; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
