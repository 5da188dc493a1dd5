package io.causeway.ike.sa;

/** Names one timer of one IKE SA: the SA's SPI on our side and what the timer is for. */
public record TimerKey(long localSpi, Kind kind) {
    /** What a timer does when it fires. */
    public enum Kind {
        /** Resend the outstanding request, or give up when the schedule is exhausted (RFC 7296 2.1). */
        RETRANSMIT,
        /** Check for inbound IKE or ESP activity and send a liveness check when idle for dpddelay (RFC 7296 2.4). */
        DPD,
        /**
         * A responder's IKE SA answered IKE_SA_INIT but IKE_AUTH did not arrive in time (strongSwan's half_open_timeout):
         * forget it, so half-open SAs cannot pile up (RFC 7296 2.6).
         */
        HALF_OPEN,
        /**
         * Start another round of keying tries for a connection whose tries all failed; {@code localSpi} is the
         * SPI of the last failed attempt and names no live SA.
         */
        KEYING_RETRY,
        /** A CHILD_SA reached its soft lifetime: rekey it with CREATE_CHILD_SA (RFC 7296 1.3.3, 2.8). */
        CHILD_REKEY,
        /** A CHILD_SA reached its hard lifetime without being replaced: remove it. */
        CHILD_EXPIRE,
        /**
         * Create a CHILD_SA on an IKE SA that lost its last one (RFC 7296 1.3.1): retried after the peer answered
         * TEMPORARY_FAILURE, or once our outstanding exchange is over.
         */
        CHILD_CREATE,
        /**
         * IKEv1: an IPsec SA our quick mode rekeyed is deleted and its successor starts sending, once the peer has had
         * time to install the successor.
         */
        CHILD_SWITCH,
        /** The IKE SA reached its soft lifetime: rekey it with CREATE_CHILD_SA (RFC 7296 1.3.2, 2.18). */
        IKE_REKEY,
        /**
         * An IKE SA replaced by a rekey waits this long for the peer's DELETE of it before it is forgotten
         * quietly (its CHILD_SAs already moved to the new IKE SA). IKEv1: an ISAKMP SA our re-authentication replaced
         * sends its DELETE then, once the peer has had time to establish the new one.
         */
        REKEYED_LINGER
    }

    @Override
    public String toString() {
        return String.format("%s[%016x]", kind, localSpi);
    }
}
