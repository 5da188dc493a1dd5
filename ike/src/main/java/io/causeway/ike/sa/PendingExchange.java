package io.causeway.ike.sa;

import io.causeway.ike.crypto.DhKeyPair;

/**
 * Our outstanding CREATE_CHILD_SA (RFC 7296 1.3): the rekey of a CHILD_SA or of the IKE SA, or a new CHILD_SA,
 * and what happened to the SAs involved while we waited for the answer. Owned by the {@link CreateChildSaTask} that
 * sent the request; the peer's requests reach it through {@link IkeSession#pending()} to record a collision.
 */
final class PendingExchange {
    enum Kind {
        /** 1.3.3: CREATE_CHILD_SA with N(REKEY_SA). */
        CHILD_REKEY,
        /** 1.3.1: a new CHILD_SA on the existing IKE SA. */
        CHILD_CREATE,
        /** 1.3.2: the IKE SA's rekey. */
        IKE_REKEY
    }

    final Kind kind;
    /** CHILD_REKEY: the CHILD_SA being replaced. */
    final ChildSaBook.Entry old;
    /** CHILD_REKEY, CHILD_CREATE: our inbound SPI of the new CHILD_SA. */
    final int inboundSpi;
    /** IKE_REKEY: our SPI of the new IKE SA (we become its initiator). */
    final long ikeSpi;
    final byte[] nonce;
    /** CHILD_REKEY, CHILD_CREATE: the request asks for transport mode with N(USE_TRANSPORT_MODE) (1.3.1). */
    final boolean transport;
    int group;
    DhKeyPair dh;
    boolean retriedGroup;

    /** CHILD_REKEY: the peer deleted the old CHILD_SA before our answer came (2.25.1). */
    boolean oldDeleted;
    /** A rekey of the same SA by the peer that we answered meanwhile (2.8.1, 2.8.2): its Ni and our Nr. */
    byte[] peerNi;
    byte[] ourNr;
    /** CHILD_REKEY collision: the CHILD_SA the peer's rekey created. */
    ChildSaBook.Entry peerChild;
    /** The peer deleted peerChild before our answer came: the peer gave way. */
    boolean peerChildDeleted;
    /** IKE_REKEY collision: the IKE SA the peer's rekey created. */
    IkeSession peerIkeSa;
    /**
     * The last CHILD_SA went away while this exchange could still bring one; why, and whether a new one is wanted,
     * decided once the answer is in.
     */
    String childLoss;
    DownCause childLossCause = DownCause.OTHER;
    boolean recreateAfterLoss;

    private PendingExchange(Kind kind, ChildSaBook.Entry old, int inboundSpi, long ikeSpi, byte[] nonce, int group,
                            boolean transport) {
        this.kind = kind;
        this.old = old;
        this.inboundSpi = inboundSpi;
        this.ikeSpi = ikeSpi;
        this.nonce = nonce;
        this.group = group;
        this.transport = transport;
    }

    static PendingExchange childRekey(ChildSaBook.Entry old, int inboundSpi, byte[] nonce, int group, boolean transport) {
        return new PendingExchange(Kind.CHILD_REKEY, old, inboundSpi, 0, nonce, group, transport);
    }

    static PendingExchange childCreate(int inboundSpi, byte[] nonce, int group, boolean transport) {
        return new PendingExchange(Kind.CHILD_CREATE, null, inboundSpi, 0, nonce, group, transport);
    }

    static PendingExchange ikeRekey(long ikeSpi, byte[] nonce, int group) {
        return new PendingExchange(Kind.IKE_REKEY, null, 0, ikeSpi, nonce, group, false);
    }

    boolean ike() {
        return kind == Kind.IKE_REKEY;
    }

    /** Whether the peer's rekey of the same SA completed while ours was outstanding. */
    boolean collided() {
        return peerNi != null;
    }

    /** Whether the SA our exchange created is the redundant one of the collision (2.8.1, 2.8.2). */
    boolean losesCollision(byte[] peerNr) {
        return RekeyCollision.ourExchangeLoses(nonce, peerNr, peerNi, ourNr);
    }

    String describe() {
        return switch (kind) {
            case CHILD_REKEY -> "our rekey of the CHILD_SA";
            case CHILD_CREATE -> "our CREATE_CHILD_SA for a new CHILD_SA";
            case IKE_REKEY -> "our rekey of the IKE SA";
        };
    }
}
