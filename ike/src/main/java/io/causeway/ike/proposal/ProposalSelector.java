package io.causeway.ike.proposal;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.proposal.ProposalKind;
import java.util.List;
import java.util.Optional;

/**
 * Picks the proposal both sides accept (RFC 7296 2.7, 3.3.6): one transform of each type that
 * appears in a configured proposal and in an offered one. The configured order wins, as with
 * strongSwan's default prefer_configured_proposals, so the responder's own preference holds.
 * Used by the responder to choose and by the initiator to check what the responder chose; IKEv1
 * reuses it for its phase 1 and phase 2 proposals.
 */
public final class ProposalSelector {
    private ProposalSelector() {}

    /**
     * The first configured proposal that an offered one matches, narrowed to one transform per
     * type. For the CHILD_SA created inside IKE_AUTH, {@code ignoreDh} is true: there is no KE
     * payload there, so DH transforms on either side do not count (RFC 7296 1.2).
     */
    public static Optional<Proposal> select(List<Proposal> configured, List<Proposal> offered, boolean ignoreDh) {
        for (Proposal ours : configured) {
            for (Proposal theirs : offered) {
                Optional<Proposal> chosen = intersect(ours, theirs, ignoreDh);
                if (chosen.isPresent()) {
                    return chosen;
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a single-transform proposal the peer chose is one we could have chosen. */
    public static boolean accepts(List<Proposal> configured, Proposal chosen, boolean ignoreDh) {
        return select(configured, List.of(chosen), ignoreDh).isPresent();
    }

    private static Optional<Proposal> intersect(Proposal ours, Proposal theirs, boolean ignoreDh) {
        if (ours.kind() != theirs.kind()) {
            return Optional.empty();
        }
        Optional<Algorithm> encryption = common(ours.encryption(), theirs.encryption());
        if (encryption.isEmpty()) {
            return Optional.empty();
        }
        boolean aead = encryption.get().aead();
        Optional<Algorithm> integrity = aead ? Optional.empty() : common(ours.integrity(), theirs.integrity());
        if (!aead && integrity.isEmpty()) {
            return Optional.empty();
        }
        boolean ike = ours.kind() == ProposalKind.IKE;
        Optional<Algorithm> prf = ike ? common(ours.prf(), theirs.prf()) : Optional.empty();
        if (ike && prf.isEmpty()) {
            return Optional.empty();
        }
        List<Algorithm> dh = List.of();
        if (!ignoreDh && (ike || !ours.dhGroups().isEmpty() || !theirs.dhGroups().isEmpty())) {
            // ESP without PFS on both sides carries no DH transform; with PFS both must agree
            Optional<Algorithm> group = common(ours.dhGroups(), theirs.dhGroups());
            if (group.isEmpty()) {
                return Optional.empty();
            }
            dh = List.of(group.get());
        }
        List<Algorithm> esn = List.of();
        if (!ike) {
            Optional<Algorithm> mode = common(esnOrDefault(ours), esnOrDefault(theirs));
            if (mode.isEmpty()) {
                return Optional.empty();
            }
            esn = List.of(mode.get());
        }
        return Optional.of(Proposal.of(ours.kind(), List.of(encryption.get()), integrity.stream().toList(),
                prf.stream().toList(), dh, esn));
    }

    /** ESP without an ESN transform means "no ESN" (strongSwan's default). */
    private static List<Algorithm> esnOrDefault(Proposal p) {
        return p.extendedSequenceNumbers().isEmpty() ? List.of(EspSuites.NO_ESN) : p.extendedSequenceNumbers();
    }

    /** The first of ours that they also list: same transform id and, where it matters, key length. */
    private static Optional<Algorithm> common(List<Algorithm> ours, List<Algorithm> theirs) {
        for (Algorithm a : ours) {
            for (Algorithm b : theirs) {
                if (a.type() == b.type() && a.ianaId() == b.ianaId() && a.keyLengthBits() == b.keyLengthBits()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
