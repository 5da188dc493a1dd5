package io.causeway.ike.sa;

import static io.causeway.ike.sa.SaWire.first;
import static io.causeway.ike.sa.SaWire.only;
import static io.causeway.ike.sa.SaWire.spiBytes32;
import static io.causeway.ike.sa.SaWire.spiValue;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.secrets.Psk;
import io.causeway.esp.EspMode;
import io.causeway.ike.TunnelState;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.AuthPayload;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IdPayload;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IKE_AUTH in both roles with pre-shared keys (RFC 7296 1.2, 2.15), and the first CHILD_SA it carries (1.2, 2.9,
 * 2.17; transport mode 1.3.1, 3.10.1). IDs and PSK are IKE-level and come from the session's connection; the
 * CHILD_SA's proposal, selectors and mode come from {@link #child}, the connection that CHILD_SA serves. Once
 * the peer is authenticated a failed CHILD_SA does not undo the IKE SA (2.21.2): as initiator we delete it, as
 * responder we answer the error and keep it. INITIAL_CONTACT (2.4, 3.10.1) is sent by an initiator holding no
 * other SA with the peer, and the peer's is remembered for the engine to honour ({@link InitialContact}).
 */
final class IkeAuthTask implements ExchangeTask {
    private final IkeSession s;
    /** The connection the first CHILD_SA serves; for a responder known only once IKE_AUTH names the peer. */
    private Connection child;
    private int childInboundSpi;

    IkeAuthTask(IkeSession session, Connection child) {
        this.s = session;
        this.child = child;
    }

    /** Sends IDi, [N(INITIAL_CONTACT),] [IDr,] AUTH, and SA, TSi, TSr of the first CHILD_SA. */
    void start(long now) {
        Connection ike = s.connection;
        Identity ourId = s.ourIdentity(ike);
        Optional<Psk> psk = s.ctx.secrets().lookup(ourId, ike.right().id());
        if (psk.isEmpty()) {
            s.fail(TunnelState.PHASE1_FAILED, "no PSK in ipsec.secrets for " + ourId + " and " + ike.right().id(),
                    FailureCause.AUTH_FAILED);
            return;
        }
        IdPayload idi = IdPayload.of(true, ourId);
        AuthPayload auth = PskAuthenticator.sign(s.suite.prf(), psk.get(), s.initRequest, s.nonceR, idi, s.keys.skPi());
        childInboundSpi = SaWire.newEspSpi(s.ctx.random());
        List<Payload> inner = new ArrayList<>();
        inner.add(idi);
        if (!s.ctx.otherSaWithPeer().test(s)) {
            inner.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT)); // 3.10.1: only when this is the only SA
        }
        if (!ike.right().id().isAny()) {
            inner.add(IdPayload.of(false, ike.right().id()));
        }
        inner.add(auth);
        inner.add(SaPayload.of(child.esp(), spiBytes32(childInboundSpi)));
        inner.add(TrafficSelectorNarrowing.payload(true, TrafficSelectorNarrowing.selectorsOf(s.keeper.localSubnets(child))));
        inner.add(TrafficSelectorNarrowing.payload(false, TrafficSelectorNarrowing.selectorsOf(s.keeper.remoteSubnets(child))));
        if (ChildSaMode.wanted(child)) {
            inner.add(ChildSaMode.useTransportMode()); // 1.3.1: with the SA payload of the CHILD_SA it asks transport mode for
        }
        List<byte[]> request = s.transport.protect(IkeHeader.of(s.spiI, s.spiR, ExchangeType.IKE_AUTH, true, false, 1), inner);
        s.phase = Phase.AUTH_SENT;
        s.active = this;
        s.transport.sendRequest(ExchangeType.IKE_AUTH, request, 1, now);
    }

    @Override
    public void onResponse(IkeMessage m, long now) {
        List<Payload> inner = s.transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        s.transport.answered();
        s.active = null;
        List<NotifyPayload> notifies = only(inner, NotifyPayload.class);
        Optional<IdPayload> idr = first(inner, IdPayload.class);
        Optional<AuthPayload> auth = first(inner, AuthPayload.class);
        if (notifies.stream().anyMatch(n -> n.notifyType() == NotifyType.AUTHENTICATION_FAILED)) {
            s.fail(TunnelState.PHASE1_FAILED, "peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids",
                    FailureCause.AUTH_FAILED);
            return;
        }
        if (idr.isEmpty() || auth.isEmpty()) {
            String error = notifies.stream().filter(NotifyPayload::isError).map(n -> NotifyType.name(n.notifyType()))
                    .findFirst().orElse("a message without IDr and AUTH");
            FailureCause cause = notifies.stream().filter(NotifyPayload::isError)
                    .map(n -> FailureCause.ofNotify(n.notifyType())).findFirst().orElse(FailureCause.OTHER);
            s.fail(TunnelState.PHASE1_FAILED, "peer answered " + error + " to IKE_AUTH", cause);
            return;
        }
        Optional<Identity> peerId = idr.get().toIdentity();
        Identity expected = s.connection.right().id();
        if (peerId.isEmpty() || (!expected.isAny() && !expected.sameAs(peerId.get()))) {
            s.fail(TunnelState.PHASE1_FAILED, "peer identified as "
                    + peerId.map(Identity::toString).orElse(idr.get().toString()) + ", expected rightid=" + expected,
                    FailureCause.AUTH_FAILED);
            return;
        }
        Psk psk = s.ctx.secrets().lookup(s.ourIdentity(s.connection), peerId.get()).orElse(null);
        if (psk == null || !PskAuthenticator.verify(s.suite.prf(), psk, s.initResponse, s.nonceI, idr.get(), s.keys.skPr(),
                auth.get())) {
            s.fail(TunnelState.PHASE1_FAILED, "peer's AUTH does not verify: check the pre-shared key and both ids",
                    FailureCause.AUTH_FAILED);
            return;
        }
        // the IKE SA is authenticated: from here on a failed CHILD_SA means deleting the IKE SA (1.2, 2.21.2)
        authenticated(peerId.get(), notifies);
        s.transport.nextRequestId = 2;
        s.lastInbound = now;
        Optional<NotifyPayload> childError = notifies.stream().filter(NotifyPayload::isError).findFirst();
        if (childError.isPresent()) {
            int type = childError.get().notifyType();
            String detail = switch (type) {
                case NotifyType.NO_PROPOSAL_CHOSEN -> ": we offered esp=" + Proposal.format(child.esp());
                case NotifyType.TS_UNACCEPTABLE -> ": we proposed " + s.keeper.localSubnets(child) + " === "
                        + s.keeper.remoteSubnets(child);
                default -> "";
            };
            failChild(now, "peer answered " + NotifyType.name(type) + " for the CHILD_SA" + detail, FailureCause.ofNotify(type));
            return;
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        if (sa.isEmpty() || tsi.isEmpty() || tsr.isEmpty() || sa.get().proposals().size() != 1) {
            failChild(now, "peer's IKE_AUTH response has no single SA and TSi/TSr for the CHILD_SA", FailureCause.OTHER);
            return;
        }
        SaProposal chosen = sa.get().proposals().get(0);
        Optional<Proposal> chosenConf = chosen.toConf();
        if (chosen.spi().length != 4 || chosenConf.isEmpty() || !ProposalSelector.accepts(child.esp(), chosenConf.get(), true)) {
            failChild(now, "peer chose an ESP proposal we did not offer: " + chosen, FailureCause.NO_PROPOSAL);
            return;
        }
        List<AddressRangeSelector> ourTsi = TrafficSelectorNarrowing.selectorsOf(s.keeper.localSubnets(child));
        List<AddressRangeSelector> ourTsr = TrafficSelectorNarrowing.selectorsOf(s.keeper.remoteSubnets(child));
        ChildSaMode mode = ChildSaMode.initiator(inner, ChildSaMode.wanted(child), s.nat, s.local.getAddress(),
                s.remote.getAddress());
        List<AddressRangeSelector> answeredI = mode.initiatorSelectors(tsi.get().addressRanges());
        List<AddressRangeSelector> answeredR = mode.responderSelectors(tsr.get().addressRanges());
        if (!TrafficSelectorNarrowing.within(answeredI, ourTsi) || !TrafficSelectorNarrowing.within(answeredR, ourTsr)) {
            failChild(now, "peer answered traffic selectors outside ours: " + tsi.get() + " " + tsr.get(),
                    FailureCause.OTHER);
            return;
        }
        Optional<EspMode> espMode = mode.accepted(answeredI, answeredR);
        if (espMode.isEmpty()) {
            failChild(now, mode.refusal(), FailureCause.OTHER); // 3.10.1: a mode we cannot accept: delete the SA
            return;
        }
        s.phase = Phase.ESTABLISHED;
        s.establishedAt = now;
        installFirstChildSa(chosenConf.get(), childInboundSpi, spiValue(chosen), answeredI, answeredR, espMode.get(),
                now);
        firstChildUp(now);
    }

    /** The responder's side: find the connection that accepts the peer's ids, verify AUTH, answer, install. */
    void onRequest(IkeMessage m, IkeDatagram d, long now) {
        List<Payload> inner = s.transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        // RFC 7296 2.23: an authentic message tells where the peer is now (it may have moved to 4500 behind a NAT)
        s.local = d.local();
        s.remote = d.remote();
        Optional<IdPayload> idi = first(inner, IdPayload.class).filter(IdPayload::initiator);
        Optional<IdPayload> idr = only(inner, IdPayload.class).stream().filter(i -> !i.initiator()).findFirst();
        Optional<AuthPayload> auth = first(inner, AuthPayload.class);
        Optional<Identity> peerId = idi.flatMap(IdPayload::toIdentity);
        Optional<Identity> wantedId = idr.flatMap(IdPayload::toIdentity);
        List<Connection> matching = new ArrayList<>();
        for (Connection c : s.candidates) {
            boolean peerOk = peerId.isPresent() && (c.right().id().isAny() || c.right().id().sameAs(peerId.get()));
            boolean usOk = wantedId.isEmpty() || c.left().id().isAny() || c.left().id().sameAs(wantedId.get());
            boolean ikeOk = ProposalSelector.accepts(c.ike(), s.ikeProposal, false);
            if (peerOk && usOk && ikeOk) {
                matching.add(c);
            }
        }
        Connection found = bestFit(matching, only(inner, TrafficSelectorPayload.class));
        Psk psk = found == null ? null : s.ctx.secrets().lookup(s.ourIdentity(found), peerId.get()).orElse(null);
        if (found == null || auth.isEmpty() || psk == null
                || !PskAuthenticator.verify(s.suite.prf(), psk, s.initRequest, s.nonceR, idi.get(), s.keys.skPi(), auth.get())) {
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)));
            s.fail(TunnelState.PHASE1_FAILED, "peer " + IpLiteral.format(s.remote.getAddress()) + " (id "
                    + peerId.map(Identity::toString).orElse("unknown") + ") failed PSK authentication;"
                    + " answered AUTHENTICATION_FAILED: check the pre-shared key and both ids", FailureCause.AUTH_FAILED);
            return;
        }
        if (s.ctx.settings().uniqueIds() == UniqueIds.KEEP && !Uniqueness.duplicates(s, found, s.ourIdentity(found),
                peerId.get(), s.ctx.sessions().get()).isEmpty()) {
            // strongSwan's uniqueids=keep: the IKE SA already there stays, the new one is refused as unauthorized;
            // nothing is reported, the connection's state is the old SA's
            s.transport.sendProtectedResponse(m, List.of(NotifyPayload.of(NotifyType.AUTHENTICATION_FAILED)));
            s.close();
            return;
        }
        final Connection chosen = found;
        s.connection = chosen;
        child = chosen;
        authenticated(peerId.get(), only(inner, NotifyPayload.class));
        IdPayload ourId = IdPayload.of(false, s.ourIdentity(chosen));
        AuthPayload ourAuth = PskAuthenticator.sign(s.suite.prf(), psk, s.initResponse, s.nonceI, ourId, s.keys.skPr());
        List<Payload> response = new ArrayList<>(List.of(ourId, ourAuth));
        s.phase = Phase.ESTABLISHED;
        s.establishedAt = now;
        s.lastInbound = now;

        Optional<SaPayload> sa = first(inner, SaPayload.class);
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        Optional<ProposalMatch> esp = sa.flatMap(x -> ProposalMatch.pick(child.esp(), x, true))
                .filter(p -> p.offered().spi().length == 4 && p.offered().protocolId() == SaProposal.PROTOCOL_ESP);
        if (esp.isEmpty()) {
            response.add(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
            s.transport.sendProtectedResponse(m, response);
            s.reportFailed(TunnelState.PHASE2_FAILED, "peer's ESP proposals match none of ours (esp="
                    + Proposal.format(child.esp()) + "); answered NO_PROPOSAL_CHOSEN", FailureCause.NO_PROPOSAL);
            return;
        }
        List<Subnet> ourLocal = s.keeper.localSubnets(child);
        List<Subnet> ourRemote = s.keeper.remoteSubnets(child);
        ChildSaMode mode = ChildSaMode.responder(inner, child, s.nat, s.remote.getAddress(), s.local.getAddress());
        List<AddressRangeSelector> narrowedI = tsi.map(t -> TrafficSelectorNarrowing.narrow(
                mode.initiatorSelectors(t.addressRanges()), ourRemote)).orElse(List.of());
        List<AddressRangeSelector> narrowedR = tsr.map(t -> TrafficSelectorNarrowing.narrow(
                mode.responderSelectors(t.addressRanges()), ourLocal)).orElse(List.of());
        if (narrowedI.isEmpty() || narrowedR.isEmpty()) {
            response.add(NotifyPayload.of(NotifyType.TS_UNACCEPTABLE));
            s.transport.sendProtectedResponse(m, response);
            // 2.21.2: the IKE SA stays up; the initiator deletes it, and we answer that DELETE
            s.reportFailed(TunnelState.PHASE2_FAILED, "peer's traffic selectors " + tsi.map(Object::toString).orElse("TSi[]")
                    + " " + tsr.map(Object::toString).orElse("TSr[]") + " do not overlap ours (" + ourLocal
                    + " === " + ourRemote + "); answered TS_UNACCEPTABLE", FailureCause.TS_UNACCEPTABLE);
            return;
        }
        childInboundSpi = SaWire.newEspSpi(s.ctx.random());
        response.add(SaPayload.chosen(esp.get().offered().number(), esp.get().chosen(), spiBytes32(childInboundSpi)));
        response.add(TrafficSelectorNarrowing.payload(true, narrowedI));
        response.add(TrafficSelectorNarrowing.payload(false, narrowedR));
        EspMode espMode = mode.answer(narrowedI, narrowedR);
        if (espMode == EspMode.TRANSPORT) {
            response.add(ChildSaMode.useTransportMode()); // 3.10.1: granted; without it the SA is tunnel mode
        }
        // installed before the answer goes: the initiator sends on the SA as soon as the answer arrives
        installFirstChildSa(esp.get().chosen(), childInboundSpi, spiValue(esp.get().offered()), narrowedR, narrowedI,
                espMode, now);
        s.transport.sendProtectedResponse(m, response);
        firstChildUp(now);
    }

    /**
     * Among the connections the peer's ids allow, the one whose subnets fit the first CHILD_SA's traffic selectors
     * best ({@link ChildConfigSelector}), so that a peer with several subnet pairs to us gets the right one; the first
     * allowed one when none fits (its answer is then TS_UNACCEPTABLE), null when none is allowed.
     */
    private Connection bestFit(List<Connection> matching, List<TrafficSelectorPayload> ts) {
        return ChildConfigSelector.bestFor(matching, ts, s.keeper, matching.isEmpty() ? null : matching.get(0));
    }

    /** IKE_AUTH authenticated the peer (either role): the half-open time is over; remember INITIAL_CONTACT (2.4). */
    private void authenticated(Identity peer, List<NotifyPayload> notifies) {
        s.ctx.actions().cancelTimer(s.timer(TimerKey.Kind.HALF_OPEN));
        s.authenticatedPeer = peer;
        s.initialContact = notifies.stream().anyMatch(n -> n.notifyType() == NotifyType.INITIAL_CONTACT);
    }

    private void installFirstChildSa(Proposal esp, int inboundSpi, int outboundSpi, List<AddressRangeSelector> localTs,
                                     List<AddressRangeSelector> remoteTs, EspMode mode, long now) {
        // RFC 7296 2.17: the first CHILD_SA's KEYMAT uses the IKE_SA_INIT nonces and no new DH
        s.keeper.install(s.keeper.derive(child, esp, inboundSpi, outboundSpi, localTs, remoteTs, null, s.nonceI, s.nonceR,
                s.initiator, mode), child, now);
    }

    /** The first CHILD_SA is installed and, as responder, our answer sent: the IKE SA is up. */
    private void firstChildUp(long now) {
        s.report(TunnelState.CONNECTED, null);
        s.freshlyEstablished = true;
        s.lastInbound = Math.max(s.lastInbound, now);
        new DpdTask(s).arm();
        if (s.handshakeStartedAt != Long.MIN_VALUE) {
            s.ctx.actions().handshakeCompleted(s.connection.name(), now - s.handshakeStartedAt);
        }
        IkeRekeyTask.arm(s, now);
        s.afterExchange(now); // connections waiting to share this IKE SA get their CHILD_SAs now
    }

    /** IKE_AUTH succeeded but our first CHILD_SA did not: delete the IKE SA rather than forget it (1.2, 2.21.2). */
    private void failChild(long now, String error, FailureCause cause) {
        s.attemptFailed = true;
        s.state = TunnelState.PHASE2_FAILED;
        s.lastError = error;
        if (s.reportFailure) {
            s.ctx.actions().stateChanged(s.connection.name(), TunnelState.PHASE2_FAILED, error, cause);
        }
        s.phase = Phase.DELETING;
        s.transport.sendInformational(List.of(DeletePayload.ikeSa()), now);
        s.sharing.failWaiting(TunnelState.PHASE2_FAILED, error, cause);
    }
}
