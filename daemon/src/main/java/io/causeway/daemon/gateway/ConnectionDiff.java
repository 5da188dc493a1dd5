package io.causeway.daemon.gateway;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.Endpoint;
import io.causeway.conf.secrets.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changes, by connection name. A connection is unchanged only when everything that shapes its SAs is
 * the same, compared in a canonical form that leaves out where it was written (file, line, %default or also=
 * origins): endpoints, subnets, ids, proposals, lifetimes, DPD, type, auto, updown, and the pre-shared key of its
 * id pair (compared, never shown).
 */
record ConnectionDiff(List<String> added, List<String> removed, List<String> changed, List<String> unchanged) {

    static ConnectionDiff between(List<Connection> before, Secrets secretsBefore, List<Connection> after,
                                  Secrets secretsAfter) {
        Map<String, Connection> old = byName(before);
        Map<String, Connection> now = byName(after);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Connection c : now.values()) {
            Connection previous = old.get(c.name());
            if (previous == null) {
                added.add(c.name());
            } else if (same(previous, secretsBefore, c, secretsAfter)) {
                unchanged.add(c.name());
            } else {
                changed.add(c.name());
            }
        }
        List<String> removed = old.keySet().stream().filter(n -> !now.containsKey(n)).toList();
        return new ConnectionDiff(List.copyOf(added), removed, List.copyOf(changed), List.copyOf(unchanged));
    }

    /** Whether two definitions of a connection would negotiate and run the same SAs. */
    static boolean same(Connection a, Secrets secretsA, Connection b, Secrets secretsB) {
        return canonical(a).equals(canonical(b))
                && secretsA.lookup(a.left().id(), a.right().id()).equals(secretsB.lookup(b.left().id(), b.right().id()));
    }

    /** Every setting of a connection that matters at run time, without its name and source location. */
    private static List<Object> canonical(Connection c) {
        return List.of(endpoint(c.left()), endpoint(c.right()), c.ikeVersion(), c.acceptsAnyIkeVersion(),
                c.aggressive(), c.ike(), c.esp(), c.ikeLifetime(), c.lifetime(), c.margin(), c.rekeyFuzzPercent(),
                c.lifeBytes(), c.lifePackets(), c.marginBytes(), c.marginPackets(), c.rekey(), c.reauth(),
                c.keyingTries(), c.dpdAction(), c.dpdDelay(), c.dpdTimeout(), c.auto(), c.type(), c.forceEncaps(),
                c.fragmentation(), c.mobike(), c.closeAction(), c.replayWindow(), c.pskConfigured());
    }

    private static List<Object> endpoint(Endpoint e) {
        return java.util.Arrays.asList(e.host(), e.address().orElse(null), e.subnets(), e.subnetsConfigured(), e.id(),
                e.auth(), e.updown().orElse(null));
    }

    private static Map<String, Connection> byName(List<Connection> connections) {
        Map<String, Connection> m = new LinkedHashMap<>();
        for (Connection c : connections) m.put(Objects.requireNonNull(c.name()), c);
        return m;
    }

    /** The reply of `reload`: the four lists by name. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added", added);
        m.put("removed", removed);
        m.put("changed", changed);
        m.put("unchanged", unchanged);
        return m;
    }
}
