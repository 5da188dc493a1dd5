package io.causeway.ike.sa;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import java.util.List;
import java.util.Optional;

/**
 * The responder's choice from an SA payload (RFC 7296 2.7): ProposalSelector's rule (our order wins),
 * but remembering which offered proposal matched, for its number and SPI.
 */
record ProposalMatch(SaProposal offered, Proposal ours, Proposal chosen) {

    static Optional<ProposalMatch> pick(List<Proposal> configured, SaPayload offered, boolean ignoreDh) {
        for (Proposal ours : configured) {
            for (SaProposal theirs : offered.proposals()) {
                Optional<Proposal> conf = theirs.toConf();
                if (conf.isEmpty()) {
                    continue;
                }
                Optional<Proposal> chosen = ProposalSelector.select(List.of(ours), List.of(conf.get()), ignoreDh);
                if (chosen.isPresent()) {
                    return Optional.of(new ProposalMatch(theirs, ours, chosen.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The DH group chosen; -1 when there is none. */
    int dhGroup() {
        return chosen.dhGroups().isEmpty() ? -1 : chosen.dhGroups().get(0).ianaId();
    }

    /**
     * When the initiator's KE is for a group both sides list in this proposal, that group is the choice:
     * it saves the INVALID_KE_PAYLOAD round trip (RFC 7296 1.3).
     */
    ProposalMatch preferringGroup(int keGroup) {
        Optional<Algorithm> inOurs = ours.dhGroups().stream().filter(a -> a.ianaId() == keGroup).findFirst();
        boolean inTheirs = offered.toConf().map(p -> p.dhGroups().stream().anyMatch(a -> a.ianaId() == keGroup))
                .orElse(false);
        if (inOurs.isEmpty() || !inTheirs || dhGroup() == keGroup) {
            return this;
        }
        Proposal regrouped = Proposal.of(chosen.kind(), chosen.encryption(), chosen.integrity(), chosen.prf(),
                List.of(inOurs.get()), chosen.extendedSequenceNumbers());
        return new ProposalMatch(offered, ours, regrouped);
    }
}
