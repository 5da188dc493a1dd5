package io.causeway.ike.sa;

import java.net.InetAddress;

/**
 * Which lane of the hand-off to the control thread a received IKE datagram takes, decided on the socket reader's
 * thread from its raw octets, without allocating: a known peer's ({@link KnownPeers}: an SA of ours, or a returned
 * cookie of ours) goes ahead of a stranger's. Junk and sources over their new-SA rate never get here: the readers'
 * {@link IkeIntakeScreen} dropped them before the datagram was copied. Under a flood the control thread then serves
 * rekeys, DPD and a newcomer's IKE_AUTH before the strangers' IKE_SA_INITs.
 */
public final class ReaderTriage {
    /** The lane: a known peer's, or a stranger's. */
    public enum Verdict { KNOWN, STRANGER }

    private final KnownPeers known;

    ReaderTriage(KnownPeers known) {
        this.known = known;
    }

    /** The lane of one datagram from that address; any thread. */
    public Verdict triage(byte[] d, InetAddress from) {
        return known.known(d, from) ? Verdict.KNOWN : Verdict.STRANGER;
    }
}
