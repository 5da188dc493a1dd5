package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.Fragmentation;
import io.causeway.conf.secrets.Psk;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.v1.crypto.NatDetectionV1;
import io.causeway.ike.v1.crypto.Phase1Hashes;
import io.causeway.ike.v1.crypto.Phase1Keys;
import io.causeway.ike.v1.message.IdPayload1;
import io.causeway.ike.v1.message.KePayload1;
import io.causeway.ike.v1.message.KnownVendorIds;
import io.causeway.ike.v1.message.NatDPayload1;
import io.causeway.ike.v1.message.NoncePayload1;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.VendorIdPayload1;
import io.causeway.ike.v1.message.V1Message;
import io.causeway.ike.v1.message.V1ParseException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What main and aggressive mode share (RFC 2409 5): our vendor ids, the KE and nonce, the NAT-D payloads and NAT
 * detection (RFC 3947 3), SKEYID and its keys from the pre-shared key, HASH_I and HASH_R, the float to port 4500.
 */
final class Phase1Exchange {
    private final IsakmpSession s;

    Phase1Exchange(IsakmpSession session) {
        this.s = session;
    }

    /** The vendor ids we send in the first message of either side, as strongSwan sends them. */
    List<V1Payload> vendorIds() {
        List<V1Payload> out = new ArrayList<>();
        if (s.connection.fragmentation() != Fragmentation.NO) {
            out.add(KnownVendorIds.FRAGMENTATION);
        }
        out.add(KnownVendorIds.DPD);
        out.add(KnownVendorIds.NATT_RFC3947);
        out.add(KnownVendorIds.NATT_DRAFT_03);
        out.add(KnownVendorIds.NATT_DRAFT_02_N);
        out.add(KnownVendorIds.NATT_DRAFT_02);
        return out;
    }

    /** A fresh DH key of the chosen group and our nonce: g^x of our side. */
    KePayload1 ourKe() {
        return ourKe(s.choice.group());
    }

    KePayload1 ourKe(io.causeway.ike.crypto.DhGroup group) {
        s.dh = group.generate(s.ctx.random());
        byte[] gx = s.dh.publicValue();
        if (s.initiator) {
            s.gxi = gx;
        } else {
            s.gxr = gx;
        }
        return new KePayload1(gx);
    }

    NoncePayload1 ourNonce() {
        byte[] n = s.ctx.random().nextBytes(IsakmpSession.NONCE_BYTES);
        if (s.initiator) {
            s.nonceI = n;
        } else {
            s.nonceR = n;
        }
        return new NoncePayload1(n);
    }

    /**
     * NAT-D payloads (RFC 3947 3.2): first the peer's address and port as we send to them, then ours. With forceencaps
     * ours is a random hash, so both sides see a NAT and encapsulate, as strongSwan does.
     */
    List<V1Payload> natD(InetSocketAddress local, InetSocketAddress remote) {
        if (!s.peer.natTraversal()) {
            return List.of();
        }
        int type = s.peer.natDPayloadType();
        byte[] theirs = NatDetectionV1.hash(s.choice.hash(), s.cookieI, s.cookieR, remote);
        byte[] ours = s.connection.forceEncaps() ? s.ctx.random().nextBytes(theirs.length)
                : NatDetectionV1.hash(s.choice.hash(), s.cookieI, s.cookieR, local);
        return List.of(new NatDPayload1(type, theirs), new NatDPayload1(type, ours));
    }

    /** Compares the peer's NAT-D payloads with the addresses the message really travelled between. */
    void detectNat(List<NatDPayload1> received, IkeDatagram d) {
        if (!s.peer.natTraversal() || received.isEmpty()) {
            s.nat = false;
            return;
        }
        byte[] toUs = NatDetectionV1.hash(s.choice.hash(), s.cookieI, s.cookieR, d.local());
        byte[] fromThem = NatDetectionV1.hash(s.choice.hash(), s.cookieI, s.cookieR, d.remote());
        boolean weAreBehindNat = !Arrays.equals(received.get(0).hash(), toUs);
        boolean theyAreBehindNat = received.stream().skip(1).noneMatch(p -> Arrays.equals(p.hash(), fromThem));
        s.nat = weAreBehindNat || theyAreBehindNat || s.connection.forceEncaps();
    }

    /** After a NAT was detected, IKE moves to port 4500 (RFC 3947 4) from main mode 5 / aggressive mode 3 on. */
    void floatIfNat() {
        if (s.nat && s.local.getPort() != IsakmpSession.NAT_T_PORT) {
            s.local = new InetSocketAddress(s.local.getAddress(), IsakmpSession.NAT_T_PORT);
            s.remote = new InetSocketAddress(s.remote.getAddress(), IsakmpSession.NAT_T_PORT);
        }
    }

    /**
     * SKEYID and its keys from the PSK (RFC 2409 5, Appendix B), once both KE and nonces are known. False when the
     * peer's KE is not a valid public value of the group.
     */
    boolean deriveKeys(Psk psk, byte[] peerKe) {
        byte[] shared;
        try {
            shared = s.dh.sharedSecret(peerKe);
        } catch (InvalidPeerKeyException e) {
            return false;
        }
        if (s.initiator) {
            s.gxr = peerKe.clone();
        } else {
            s.gxi = peerKe.clone();
        }
        byte[] secret = psk.bytes();
        try {
            s.keys = Phase1Keys.derivePsk(s.choice.hash(), secret, s.nonceI, s.nonceR, shared, s.cookieI, s.cookieR,
                    s.choice.keyBytes());
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(shared, (byte) 0);
        }
        s.transport.keys(IsakmpCodec.cipher(s.choice.cipher(), s.keys.encryptionKey()),
                Phase1Hashes.phase1Iv(s.choice.hash(), s.gxi, s.gxr, s.choice.cipher().blockBytes()));
        return true;
    }

    byte[] hashI(byte[] idiiBody) {
        return Phase1Hashes.hashI(s.choice.hash(), s.keys.skeyid(), s.gxi, s.gxr, s.cookieI, s.cookieR, s.saiBody, idiiBody);
    }

    byte[] hashR(byte[] idirBody) {
        return Phase1Hashes.hashR(s.choice.hash(), s.keys.skeyid(), s.gxr, s.gxi, s.cookieR, s.cookieI, s.saiBody, idirBody);
    }

    /** The PSK for our identity and that peer identity, or empty. */
    Optional<Psk> psk(Connection c, io.causeway.conf.net.Identity peer) {
        return s.ctx.secrets().lookup(s.ourIdentity(c), peer);
    }

    /** Whether the peer's phase-1 ID is one connection c accepts (rightid, %any accepts every one). */
    static boolean accepts(Connection c, io.causeway.conf.net.Identity peer) {
        return c.right().id().isAny() || c.right().id().sameAs(peer);
    }

    IdPayload1 ourId() {
        return IsakmpCodec.id(s.ourIdentity());
    }

    /** An unencrypted phase-1 message of ours. */
    byte[] plain(int exchangeType, List<V1Payload> payloads) {
        return V1Message.encode(IsakmpCodec.header(s, exchangeType, 0, false, payloads.get(0).type()), payloads);
    }

    /** The peer's unencrypted phase-1 message; empty when it does not decode or is encrypted. */
    static Optional<V1Message> plainMessage(byte[] datagram) {
        try {
            V1Message m = V1Message.decodePlain(datagram);
            return m.header().encrypted() ? Optional.empty() : Optional.of(m);
        } catch (V1ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The words for a failed PSK check: in IKEv1 a wrong key shows as a HASH mismatch or undecryptable message. */
    static final String PSK_MISMATCH = "authentication failed (pre-shared key mismatch?)";

    /**
     * A HASH that does not match, or a message that does not decrypt: the peer is told by an unprotected
     * AUTHENTICATION-FAILED (our keys are not its keys), so its side fails at once instead of after retransmissions.
     */
    void authFailed(String detail) {
        IsakmpInformational.refuse(s, null, io.causeway.ike.v1.message.NotifyPayload1.AUTHENTICATION_FAILED);
        s.fail(TunnelState.PHASE1_FAILED, PSK_MISMATCH + ": " + detail, FailureCause.AUTH_FAILED);
    }

    void noProposal(String detail) {
        s.fail(TunnelState.PHASE1_FAILED, "no proposal chosen: " + detail, FailureCause.NO_PROPOSAL);
    }
}
