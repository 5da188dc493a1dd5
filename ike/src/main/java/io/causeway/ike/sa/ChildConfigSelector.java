package io.causeway.ike.sa;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which of several connections to one peer a proposed CHILD_SA belongs to (RFC 7296 2.9), as a responder picks
 * it in IKE_AUTH and CREATE_CHILD_SA: a connection qualifies when narrowing leaves something on both sides, and
 * among those the one whose subnets match the proposal most closely wins. As in strongSwan's child config
 * selection, a configured subnet equal to a proposed selector counts far more than one merely containing or
 * contained in it, so three conns with 10.2.0.0/24, 10.2.5.0/24 and 10.2.6.0/24 each get their own subnet pair
 * even when a fourth conn covers 10.2.0.0/16. Ties go to the connection listed first in the configuration.
 */
final class ChildConfigSelector {
    /** Score of a configured subnet that is exactly a proposed selector. */
    private static final int EQUAL = 20;
    /** Score of one that contains or is contained in a proposed selector. */
    private static final int NESTED = 1;

    private ChildConfigSelector() {
    }

    /**
     * The best connection for a CHILD_SA whose initiator proposed proposedLocal as our side (its TSr) and
     * proposedRemote as its own (its TSi), or empty if narrowing leaves nothing for any of them. localSubnets and
     * remoteSubnets give each connection's selectors (its subnets, or the IKE hosts without).
     */
    static Optional<Connection> select(List<Connection> candidates, List<AddressRangeSelector> proposedLocal,
                                       List<AddressRangeSelector> proposedRemote,
                                       Function<Connection, List<Subnet>> localSubnets,
                                       Function<Connection, List<Subnet>> remoteSubnets) {
        Connection best = null;
        int bestScore = -1;
        for (Connection c : candidates) {
            List<Subnet> local = localSubnets.apply(c);
            List<Subnet> remote = remoteSubnets.apply(c);
            if (TrafficSelectorNarrowing.narrow(proposedLocal, local).isEmpty()
                    || TrafficSelectorNarrowing.narrow(proposedRemote, remote).isEmpty()) {
                continue;
            }
            int score = score(local, proposedLocal) + score(remote, proposedRemote);
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The best of candidates for a request's TSi (the peer's side) and TSr (ours), with the subnets the session's
     * keeper gives each connection; fallback when none fits or there is nothing to choose between.
     */
    static Connection bestFor(List<Connection> candidates, List<TrafficSelectorPayload> ts, ChildSaKeeper keeper,
                              Connection fallback) {
        if (candidates.size() <= 1) {
            return fallback;
        }
        List<AddressRangeSelector> peerSide = ts.stream().filter(TrafficSelectorPayload::initiator).findFirst()
                .map(TrafficSelectorPayload::addressRanges).orElse(List.of());
        List<AddressRangeSelector> ourSide = ts.stream().filter(t -> !t.initiator()).findFirst()
                .map(TrafficSelectorPayload::addressRanges).orElse(List.of());
        return select(candidates, ourSide, peerSide, keeper::localSubnets, keeper::remoteSubnets).orElse(fallback);
    }

    private static int score(List<Subnet> configured, List<AddressRangeSelector> proposed) {
        int score = 0;
        for (AddressRangeSelector mine : TrafficSelectorNarrowing.selectorsOf(configured)) {
            for (AddressRangeSelector theirs : proposed) {
                if (mine.equals(theirs)) {
                    score += EQUAL;
                } else {
                    Optional<AddressRangeSelector> common = TrafficSelectorNarrowing.intersect(mine, theirs);
                    if (common.isPresent() && (common.get().equals(mine) || common.get().equals(theirs))) {
                        score += NESTED;
                    }
                }
            }
        }
        return score;
    }
}
