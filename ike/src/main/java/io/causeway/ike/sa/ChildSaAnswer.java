package io.causeway.ike.sa;

import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import io.causeway.esp.EspMode;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.DhKeyPair;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.crypto.RandomSource;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The responder's choice in a CREATE_CHILD_SA for a CHILD_SA, new (RFC 7296 1.3.1) or a rekey (1.3.3): a proposal of
 * ours (with its DH group for PFS, 1.3), the traffic selectors narrowed to ours (2.9), the mode (3.10.1,
 * {@link ChildSaMode}), Nr and KEr; or the error notify to answer with. It only decides; the session sends the answer
 * and installs the SA.
 */
final class ChildSaAnswer {
    /** The notify to answer with instead, or null when the CHILD_SA is agreed. */
    final NotifyPayload error;
    final ProposalMatch match;
    final List<AddressRangeSelector> narrowedI;
    final List<AddressRangeSelector> narrowedR;
    final byte[] nr;
    /** Transport mode when granted (3.10.1), else tunnel. */
    final EspMode mode;
    /** g^ir of the PFS exchange, or null without PFS. */
    final byte[] sharedSecret;
    private final KePayload ourKe;

    private ChildSaAnswer(NotifyPayload error, ProposalMatch match, List<AddressRangeSelector> narrowedI,
                          List<AddressRangeSelector> narrowedR, EspMode mode, byte[] nr, byte[] sharedSecret,
                          KePayload ourKe) {
        this.error = error;
        this.match = match;
        this.narrowedI = narrowedI;
        this.narrowedR = narrowedR;
        this.mode = mode;
        this.nr = nr;
        this.sharedSecret = sharedSecret;
        this.ourKe = ourKe;
    }

    private static ChildSaAnswer refuse(NotifyPayload error) {
        return new ChildSaAnswer(error, null, List.of(), List.of(), EspMode.TUNNEL, null, null, null);
    }

    /**
     * @param ourLocal  our side's selectors the initiator's TSr is narrowed to
     * @param ourRemote the peer's side's selectors the initiator's TSi is narrowed to
     * @param mode      whether transport mode was asked for and can be granted (1.3.1, 3.10.1)
     */
    static ChildSaAnswer decide(List<Proposal> ourProposals, SaPayload sa, Optional<KePayload> ke,
                                List<TrafficSelectorPayload> ts, List<Subnet> ourLocal, List<Subnet> ourRemote,
                                ChildSaMode mode, RandomSource random) {
        Optional<ProposalMatch> picked = ProposalMatch.pick(ourProposals, sa, false)
                .filter(p -> p.offered().spi().length == 4 && p.offered().protocolId() == SaProposal.PROTOCOL_ESP);
        if (picked.isEmpty()) {
            return refuse(NotifyPayload.of(NotifyType.NO_PROPOSAL_CHOSEN));
        }
        ProposalMatch match = picked.get();
        int group = match.dhGroup();
        if (group != -1) {
            if (ke.isPresent()) {
                match = match.preferringGroup(ke.get().dhGroup());
                group = match.dhGroup();
            }
            if (ke.isEmpty() || ke.get().dhGroup() != group || DhGroup.lookup(group).isEmpty()) {
                return refuse(NotifyPayload.invalidKePayload(group)); // 1.3: the group we want for PFS
            }
        }
        Optional<TrafficSelectorPayload> tsi = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst();
        Optional<TrafficSelectorPayload> tsr = ts.stream().filter(t -> !t.initiator()).findFirst();
        List<AddressRangeSelector> narrowedI = tsi.map(t -> TrafficSelectorNarrowing.narrow(
                mode.initiatorSelectors(t.addressRanges()), ourRemote)).orElse(List.of());
        List<AddressRangeSelector> narrowedR = tsr.map(t -> TrafficSelectorNarrowing.narrow(
                mode.responderSelectors(t.addressRanges()), ourLocal)).orElse(List.of());
        if (narrowedI.isEmpty() || narrowedR.isEmpty()) {
            return refuse(NotifyPayload.of(NotifyType.TS_UNACCEPTABLE));
        }
        EspMode espMode = mode.answer(narrowedI, narrowedR);
        byte[] nr = random.nextBytes(IkeSession.NONCE_BYTES);
        if (group == -1) {
            return new ChildSaAnswer(null, match, narrowedI, narrowedR, espMode, nr, null, null);
        }
        DhKeyPair ours = DhGroup.forId(group).generate(random);
        try {
            byte[] shared = ours.sharedSecret(ke.get().keyData());
            return new ChildSaAnswer(null, match, narrowedI, narrowedR, espMode, nr, shared,
                    new KePayload(group, ours.publicValue()));
        } catch (InvalidPeerKeyException e) {
            return refuse(NotifyPayload.of(NotifyType.INVALID_SYNTAX));
        }
    }

    Proposal chosen() {
        return match.chosen();
    }

    /** The peer's inbound SPI of the new CHILD_SA, which is our outbound one. */
    int peerSpi() {
        return ByteBuffer.wrap(match.offered().spi()).getInt();
    }

    /** SA, Nr, [KEr,] TSi, TSr [, N(USE_TRANSPORT_MODE)] of the answer, with our inbound SPI. */
    List<Payload> payloads(int ourInboundSpi) {
        List<Payload> out = new ArrayList<>();
        out.add(SaPayload.chosen(match.offered().number(), match.chosen(), ByteBuffer.allocate(4).putInt(ourInboundSpi).array()));
        out.add(new NoncePayload(nr));
        if (ourKe != null) {
            out.add(ourKe);
        }
        out.add(TrafficSelectorNarrowing.payload(true, narrowedI));
        out.add(TrafficSelectorNarrowing.payload(false, narrowedR));
        if (mode == EspMode.TRANSPORT) {
            out.add(ChildSaMode.useTransportMode()); // 3.10.1: granted; without it the SA is tunnel mode
        }
        return out;
    }
}
