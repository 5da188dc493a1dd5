package io.causeway.ike.sa;

import static io.causeway.ike.sa.SaWire.only;
import static io.causeway.ike.sa.SaWire.spiBytes32;
import static io.causeway.ike.sa.SaWire.spiValue;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.EspMode;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CREATE_CHILD_SA we initiate for a CHILD_SA of {@link #connection} (RFC 7296 1.3.1, 1.3.3): the request
 * [N(REKEY_SA),] SA, Ni, [KEi,] TSi, TSr, [N(USE_TRANSPORT_MODE)] with the connection's esp proposal (PFS when it
 * has a DH group), and the check of the answered selectors and mode (2.9, 3.10.1). A CHILD_SA the peer installed
 * but we cannot accept is deleted rather than left behind (1.4.1).
 */
abstract class ChildSaTask extends CreateChildSaTask {
    /** The connection whose CHILD_SA this exchange creates or rekeys. */
    final Connection connection;

    ChildSaTask(IkeSession session, PendingExchange exchange, Connection connection) {
        super(session, exchange);
        this.connection = connection;
    }

    /** The group of the first esp proposal (PFS), or -1 without one. */
    static int pfsGroup(Connection c) {
        Proposal first = c.esp().get(0);
        return first.dhGroups().isEmpty() ? -1 : first.dhGroups().get(0).ianaId();
    }

    /** The new CHILD_SA was agreed and derived; nr is the peer's nonce. */
    abstract void created(ChildSaInstall created, byte[] nr, long now);

    @Override
    List<Proposal> offered() {
        return connection.esp();
    }

    @Override
    boolean acceptable(SaProposal chosen, Proposal conf) {
        return chosen.protocolId() == SaProposal.PROTOCOL_ESP && chosen.spi().length == 4
                && ProposalSelector.accepts(connection.esp(), conf, false);
    }

    @Override
    void sendRequest(long now) {
        PendingExchange p = exchange;
        List<Payload> inner = new ArrayList<>();
        if (p.old != null) {
            inner.add(new NotifyPayload(SaProposal.PROTOCOL_ESP, spiBytes32(p.old.sa.inboundSpi()), NotifyType.REKEY_SA,
                    new byte[0]));
        }
        inner.add(SaPayload.of(connection.esp(), spiBytes32(p.inboundSpi)));
        inner.add(new NoncePayload(p.nonce));
        if (p.group != -1) {
            p.dh = DhGroup.forId(p.group).generate(s.ctx.random());
            inner.add(new KePayload(p.group, p.dh.publicValue()));
        }
        inner.add(TrafficSelectorNarrowing.payload(true, proposedLocal()));
        inner.add(TrafficSelectorNarrowing.payload(false, proposedRemote()));
        if (p.transport) {
            inner.add(ChildSaMode.useTransportMode()); // 1.3.1
        }
        send(inner, now);
    }

    /** A rekey keeps the selectors of the SA it replaces; a new CHILD_SA proposes the connection's. */
    private List<AddressRangeSelector> proposedLocal() {
        return TrafficSelectorNarrowing.selectorsOf(exchange.old != null ? exchange.old.sa.localSelectors()
                : s.keeper.localSubnets(connection));
    }

    private List<AddressRangeSelector> proposedRemote() {
        return TrafficSelectorNarrowing.selectorsOf(exchange.old != null ? exchange.old.sa.remoteSelectors()
                : s.keeper.remoteSubnets(connection));
    }

    @Override
    void accepted(SaProposal chosen, Proposal conf, byte[] shared, byte[] nr, List<Payload> inner, long now) {
        PendingExchange p = exchange;
        List<TrafficSelectorPayload> ts = only(inner, TrafficSelectorPayload.class);
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        ChildSaMode mode = ChildSaMode.initiator(inner, p.transport, s.nat, s.local.getAddress(), s.remote.getAddress());
        List<AddressRangeSelector> answeredI = tsi.map(t -> mode.initiatorSelectors(t.addressRanges())).orElse(List.of());
        List<AddressRangeSelector> answeredR = tsr.map(t -> mode.responderSelectors(t.addressRanges())).orElse(List.of());
        boolean selectorsOk = TrafficSelectorNarrowing.within(answeredI, proposedLocal())
                && TrafficSelectorNarrowing.within(answeredR, proposedRemote());
        Optional<EspMode> espMode = selectorsOk ? mode.accepted(answeredI, answeredR) : Optional.empty();
        if (espMode.isEmpty()) {
            // the peer has the SA installed: delete it rather than leave it behind (1.4.1, 3.10.1)
            s.children.trackForDelete(s.keeper.derive(connection, conf, p.inboundSpi, spiValue(chosen), proposedLocal(),
                    proposedRemote(), shared, p.nonce, nr, true, EspMode.TUNNEL));
            exchangeFailed(0, selectorsOk ? mode.refusal() + " in CREATE_CHILD_SA"
                    : "peer answered traffic selectors outside ours in CREATE_CHILD_SA", now);
            return;
        }
        created(s.keeper.derive(connection, conf, p.inboundSpi, spiValue(chosen), answeredI, answeredR, shared, p.nonce,
                nr, true, espMode.get()), nr, now);
    }
}
