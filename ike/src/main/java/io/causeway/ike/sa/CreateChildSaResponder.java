package io.causeway.ike.sa;

import static io.causeway.ike.sa.SaWire.first;
import static io.causeway.ike.sa.SaWire.only;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.IkeGroup;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import io.causeway.ike.sa.IkeSession.Phase;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The responder's side of CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.25): tells the rekey of a CHILD_SA
 * (N(REKEY_SA), 1.3.3), of the IKE SA (an IKE proposal, 1.3.2, handed to {@link IkeRekeyTask}) and a new CHILD_SA
 * (1.3.1) apart and answers each. A CHILD_SA is chosen and narrowed against its connection as in IKE_AUTH
 * ({@link ChildSaAnswer}) and becomes the current one; the new SA of a rekey receives at once but sends only once
 * the old one is gone, normally by the peer's DELETE (make before break, 2.8). A rekey colliding with ours of the
 * same SA is answered and recorded in our {@link PendingExchange} for the nonce rule (2.8.1); a CHILD_SA exchange
 * and our IKE SA rekey, or a rekey of a CHILD_SA being deleted, get TEMPORARY_FAILURE (2.25), one we no longer have
 * CHILD_SA_NOT_FOUND.
 *
 * <p>A new CHILD_SA belongs to whichever connection of this IKE SA's group fits its selectors best, so one IKE SA
 * carries several connections. Not yet: one the peer creates while ours is being created is kept next to ours
 * rather than resolved.
 */
final class CreateChildSaResponder {
    private final IkeSession s;

    CreateChildSaResponder(IkeSession session) {
        this.s = session;
    }

    void onRequest(IkeMessage m, long now) {
        List<Payload> inner = s.transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        s.lastInbound = now;
        if (s.phase != Phase.ESTABLISHED) {
            // this IKE SA was replaced or is being deleted: the peer must use the new one (2.25)
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        Optional<NoncePayload> nonce = first(inner, NoncePayload.class);
        Optional<KePayload> ke = first(inner, KePayload.class);
        Optional<NotifyPayload> rekey = only(inner, NotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.REKEY_SA).findFirst();
        if (sa.isEmpty() || nonce.isEmpty()) {
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.INVALID_SYNTAX)));
            return;
        }
        boolean ikeRekey = rekey.isEmpty()
                && sa.get().proposals().stream().anyMatch(p -> p.protocolId() == SaProposal.PROTOCOL_IKE);
        if (ikeRekey) {
            IkeRekeyTask.respond(s, m, sa.get(), nonce.get(), ke, now);
            return;
        }
        PendingExchange pending = s.pending();
        if (pending != null && pending.ike()) {
            // 2.25: our rekey of the IKE SA is under way; the peer retries, on the new IKE SA if ours completes
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        if (rekey.isEmpty()) {
            newChild(m, inner, sa.get(), nonce.get(), ke, now);
            return;
        }
        rekeyChild(m, inner, rekey.get(), sa.get(), nonce.get(), ke, now);
    }

    private void rekeyChild(IkeMessage m, List<Payload> inner, NotifyPayload rekey, SaPayload sa, NoncePayload nonce,
                            Optional<KePayload> ke, long now) {
        // 1.3.3: the SPI is the one the peer receives on (our outbound); accept our inbound SPI as well
        ChildSaBook.Entry old = rekey.protocolId() == SaProposal.PROTOCOL_ESP && rekey.spi().length == 4
                ? s.children.byEitherSpi(ByteBuffer.wrap(rekey.spi()).getInt()) : null;
        if (old == null) {
            // 2.25.1: a CHILD_SA we no longer have
            s.transport.sendProtectedResponse(m, List.of(new NotifyPayload(rekey.protocolId(), rekey.spi(),
                    NotifyType.CHILD_SA_NOT_FOUND, new byte[0])));
            return;
        }
        if (!old.live()) {
            // 2.25.1: we are deleting it, or it was replaced already; the peer may retry later
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.TEMPORARY_FAILURE)));
            return;
        }
        Connection c = s.keeper.connectionOf(old);
        Responded answer = answer(c, m, inner, sa, nonce, ke, old.sa.localSelectors(), old.sa.remoteSelectors());
        if (answer == null) {
            return;
        }
        // the peer installs the new SA when our answer arrives; until it deletes the old one (2.8) the old one sends
        ChildSaBook.Entry created = s.keeper.installReceivingFirst(answer.child, c, old, now);
        answer.send(m);
        s.children.replaced(old);
        s.keeper.armTimers();
        PendingExchange pending = s.pending();
        if (pending != null && pending.kind == PendingExchange.Kind.CHILD_REKEY && pending.old == old) {
            // 2.8.1: both ends rekey this CHILD_SA; which new SA survives is decided when our answer comes
            pending.peerNi = nonce.nonce();
            pending.ourNr = answer.nr;
            pending.peerChild = created;
        }
        s.keeper.childUp();
    }

    /**
     * 1.3.1: a new CHILD_SA on this IKE SA (strongSwan creates one when its CHILD_SA hard-expired while the IKE SA
     * lives). It becomes the current CHILD_SA; an older one stays until deleted or expired.
     */
    private void newChild(IkeMessage m, List<Payload> inner, SaPayload sa, NoncePayload nonce, Optional<KePayload> ke,
                          long now) {
        Connection c = connectionFor(only(inner, TrafficSelectorPayload.class));
        Responded answer = answer(c, m, inner, sa, nonce, ke, s.keeper.localSubnets(c), s.keeper.remoteSubnets(c));
        if (answer != null) {
            s.keeper.install(answer.child, c, now);
            answer.send(m);
            s.keeper.childUp(c);
        }
    }

    /**
     * The connection a new CHILD_SA belongs to: among this IKE SA's own and the configured ones of its IKE group
     * (strongSwan's several children of one connection arrive this way), the one whose subnets fit the proposed
     * traffic selectors best; this IKE SA's own when none fits, which then answers TS_UNACCEPTABLE.
     */
    private Connection connectionFor(List<TrafficSelectorPayload> ts) {
        List<Connection> group = new ArrayList<>(List.of(s.connection));
        for (Connection c : s.ctx.connections().get()) {
            if (!c.name().equals(s.connection.name()) && IkeGroup.shared(c, s.connection)) {
                group.add(c);
            }
        }
        return ChildConfigSelector.bestFor(group, ts, s.keeper, s.connection);
    }

    /**
     * A CHILD_SA we agreed to as responder, our nonce of that exchange and our answer. The answer goes out only once
     * the SA is installed: the peer sends on the new SA as soon as the answer arrives, and a packet that overtook our
     * install would find no SA here.
     */
    private record Responded(ChildSaInstall child, byte[] nr, List<Payload> reply, IkeTransport transport) {
        void send(IkeMessage request) {
            transport.sendProtectedResponse(request, reply);
        }
    }

    /**
     * Decides on a CREATE_CHILD_SA request for a CHILD_SA of c: the SA to install before {@link Responded#send}, or
     * null when refused (the refusal is sent).
     */
    private Responded answer(Connection c, IkeMessage m, List<Payload> inner, SaPayload sa, NoncePayload nonce,
                             Optional<KePayload> ke, List<Subnet> ourLocal, List<Subnet> ourRemote) {
        ChildSaMode mode = ChildSaMode.responder(inner, c, s.nat, s.remote.getAddress(), s.local.getAddress());
        ChildSaAnswer answer = ChildSaAnswer.decide(c.esp(), sa, ke, only(inner, TrafficSelectorPayload.class),
                ourLocal, ourRemote, mode, s.ctx.random());
        if (answer.error != null) {
            s.transport.sendProtectedResponse(m, List.of(answer.error));
            return null;
        }
        int inboundSpi = SaWire.newEspSpi(s.ctx.random());
        return new Responded(s.keeper.derive(c, answer.chosen(), inboundSpi, answer.peerSpi(), answer.narrowedR,
                answer.narrowedI, answer.sharedSecret, nonce.nonce(), answer.nr, false, answer.mode), answer.nr,
                answer.payloads(inboundSpi), s.transport);
    }
}
