package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.IkeGroup;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.v1.crypto.QuickModeHashes;
import io.causeway.ike.v1.message.DecodedPayload1;
import io.causeway.ike.v1.message.HashPayload1;
import io.causeway.ike.v1.message.IdPayload1;
import io.causeway.ike.v1.message.KePayload1;
import io.causeway.ike.v1.message.NoncePayload1;
import io.causeway.ike.v1.message.NotifyPayload1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.V1Encryption;
import io.causeway.ike.v1.message.V1ExchangeType;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.V1PayloadType;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The peer's quick mode (RFC 2409 5.5): message 1 picks the connection whose subnets contain the proposed selectors
 * (IKEv1 cannot narrow them, so they are installed as proposed) among those sharing this ISAKMP SA, and the ESP
 * transform; message 3 confirms, and the IPsec SA pair is installed. Selectors no connection has are answered with
 * INVALID_ID_INFORMATION, transforms none accepts with NO_PROPOSAL_CHOSEN.
 */
final class QuickModeResponder {
    private final IsakmpSession s;
    final int messageId;
    private Connection connection;
    private Phase2Proposals.Choice choice;
    private int ourSpi;
    private byte[] nonceI;
    private byte[] nonceR;
    private byte[] pfsSecret;
    private List<Subnet> local;
    private List<Subnet> remote;

    QuickModeResponder(IsakmpSession session, int messageId) {
        this.s = session;
        this.messageId = messageId;
    }

    /** Message 1; false when it was not acceptable (the exchange is forgotten). */
    boolean first(byte[] datagram, long now) {
        Optional<V1Encryption.Decrypted> m = s.transport.openExchange(datagram, messageId);
        if (m.isEmpty() || m.get().payloads().isEmpty()
                || !(m.get().payloads().get(0).payload() instanceof HashPayload1 hash)) {
            s.ctx.drops().drop();
            return false;
        }
        List<DecodedPayload1> ps = m.get().payloads();
        byte[] expected = QuickModeHashes.hash1(s.choice.hash(), s.keys.skeyidA(), messageId,
                IsakmpCodec.receivedAfterFirst(ps));
        if (!MessageDigest.isEqual(expected, hash.hash())) {
            s.ctx.drops().drop();
            return false;
        }
        s.transport.acceptExchange(messageId, m.get());
        s.lastInbound = now;
        Optional<SaPayload1> sa = IsakmpCodec.first(ps, SaPayload1.class);
        Optional<NoncePayload1> nonce = IsakmpCodec.first(ps, NoncePayload1.class);
        if (sa.isEmpty() || nonce.isEmpty()) {
            s.ctx.drops().drop();
            return false;
        }
        List<IdPayload1> ids = IsakmpCodec.all(ps, IdPayload1.class);
        if (ids.isEmpty()) {
            remote = List.of(Subnet.host(s.remote.getAddress()));
            local = List.of(Subnet.host(s.local.getAddress()));
        } else if (ids.size() == 2 && !ids.get(0).asSubnets().isEmpty() && !ids.get(1).asSubnets().isEmpty()) {
            remote = ids.get(0).asSubnets(); // a range becomes the CIDR blocks that cover it exactly
            local = ids.get(1).asSubnets();
        } else {
            return refuse(NotifyPayload1.INVALID_ID_INFORMATION, "quick mode selectors that are not subnets or addresses",
                    FailureCause.TS_UNACCEPTABLE);
        }
        connection = connectionFor(local, remote);
        if (connection == null && s.nat && isHost(local) && isHost(remote)) {
            // transport mode through a NAT: the initiator proposes the addresses it knows (its private one), the IPsec SA
            // runs between the IKE addresses; strongSwan changes the received selectors the same way
            local = List.of(Subnet.host(s.local.getAddress()));
            remote = List.of(Subnet.host(s.remote.getAddress()));
            connection = connectionFor(local, remote);
        }
        if (connection == null) {
            return refuse(NotifyPayload1.INVALID_ID_INFORMATION, "no connection has the selectors " + text(remote) + " === "
                    + text(local) + " the peer proposed", FailureCause.TS_UNACCEPTABLE);
        }
        Optional<Phase2Proposals.Choice> c = Phase2Proposals.select(connection.esp(), sa.get());
        if (c.isEmpty()) {
            return refuse(NotifyPayload1.NO_PROPOSAL_CHOSEN, "none of the ESP transforms the peer offered is configured",
                    FailureCause.NO_PROPOSAL);
        }
        choice = c.get();
        nonceI = nonce.get().nonce();
        nonceR = s.ctx.random().nextBytes(IsakmpSession.NONCE_BYTES);
        ourSpi = s.randomNonZero();
        List<V1Payload> rest = new ArrayList<>();
        rest.add(Phase2Proposals.answer(choice, ourSpi));
        rest.add(new NoncePayload1(nonceR));
        if (choice.pfsGroup() != 0) {
            Optional<KePayload1> ke = IsakmpCodec.first(ps, KePayload1.class);
            Optional<DhGroup> group = DhGroup.lookup(choice.pfsGroup());
            if (ke.isEmpty() || group.isEmpty()) {
                return refuse(NotifyPayload1.NO_PROPOSAL_CHOSEN, "PFS without a KE payload", FailureCause.NO_PROPOSAL);
            }
            DhKeyPair ours = group.get().generate(s.ctx.random());
            try {
                pfsSecret = ours.sharedSecret(ke.get().keyExchangeData());
            } catch (InvalidPeerKeyException e) {
                return refuse(NotifyPayload1.INVALID_KEY_INFORMATION, "an invalid quick mode KE", FailureCause.OTHER);
            }
            rest.add(new KePayload1(ours.publicValue()));
        }
        if (!ids.isEmpty()) {
            rest.add(ids.get(0));
            rest.add(ids.get(1));
        }
        byte[] hash2 = QuickModeHashes.hash2(s.choice.hash(), s.keys.skeyidA(), messageId, nonceI, IsakmpCodec.chain(rest));
        List<V1Payload> payloads = new ArrayList<>();
        payloads.add(new HashPayload1(hash2));
        payloads.addAll(rest);
        byte[] reply = s.transport.sealExchange(IsakmpCodec.header(s, V1ExchangeType.QUICK_MODE, messageId, true,
                V1PayloadType.HASH), payloads);
        s.transport.send(reply);
        s.transport.replied(datagram, reply);
        return true;
    }

    /** Message 3: HASH(3); true when the exchange is over. */
    boolean third(byte[] datagram, long now) {
        Optional<V1Encryption.Decrypted> m = s.transport.openExchange(datagram, messageId);
        if (m.isEmpty() || m.get().payloads().isEmpty()
                || !(m.get().payloads().get(0).payload() instanceof HashPayload1 hash)) {
            s.ctx.drops().drop();
            return false;
        }
        byte[] expected = QuickModeHashes.hash3(s.choice.hash(), s.keys.skeyidA(), messageId, nonceI, nonceR);
        if (!MessageDigest.isEqual(expected, hash.hash())) {
            s.ctx.drops().drop();
            return false;
        }
        s.transport.endExchange(messageId);
        s.lastInbound = now;
        ChildSaInstall sa = QuickModeKeys.install(s, connection, choice, ourSpi, pfsSecret, nonceI, nonceR, local, remote);
        pfsSecret = null;
        s.quick.installed(connection, sa, null, false, now);
        s.ctx.actions().exchangeCompleted(connection.name(), V1ExchangeType.QUICK_MODE, false);
        return true;
    }

    private boolean refuse(int notifyType, String why, FailureCause cause) {
        s.informational.notifyPeer(notifyType);
        s.transport.endExchange(messageId);
        s.reportFailed(s.connection, TunnelState.PHASE2_FAILED, why, cause);
        return false;
    }

    /**
     * The connection of this ISAKMP SA's IKE group (its own first) one of whose subnet pairs contains the proposed
     * selectors; null when none does.
     */
    private Connection connectionFor(List<Subnet> ourSide, List<Subnet> peerSide) {
        List<Connection> group = new ArrayList<>(List.of(s.connection));
        for (Connection c : s.ctx.connections().get()) {
            if (!c.name().equals(s.connection.name()) && c.ikeVersion() == 1 && IkeGroup.shared(s.connection, c)) {
                group.add(c);
            }
        }
        for (Connection c : group) {
            if (ourSide.stream().allMatch(x -> covers(s.quick.localSubnets(c), x))
                    && peerSide.stream().allMatch(x -> covers(s.quick.remoteSubnets(c), x))) {
                return c;
            }
        }
        return null;
    }

    private static String text(List<Subnet> selectors) {
        return String.join(",", selectors.stream().map(Subnet::toString).toList());
    }

    private static boolean isHost(List<Subnet> selectors) {
        return selectors.size() == 1 && selectors.get(0).prefixLength() == (selectors.get(0).isIpv4() ? 32 : 128);
    }

    private static boolean covers(List<Subnet> configured, Subnet proposed) {
        for (Subnet c : configured) {
            if (c.isIpv4() == proposed.isIpv4() && c.prefixLength() <= proposed.prefixLength()
                    && c.contains(proposed.address())) {
                return true;
            }
        }
        return false;
    }
}
