package io.causeway.conf.export;

import io.causeway.conf.Config;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.IkeGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connections of ours that one IKE SA carries ({@link IkeGroup}), each seen from the peer. swanctl.conf has to
 * say so explicitly, as one connection with a child per member; stroke merges ipsec.conf conns by itself. Members
 * are in file order and the first one names the group, so every member's export is the same file and the name is
 * one the administrator recognises from our ipsec.conf.
 */
final class PeerGroup {
    private final List<PeerView> members;

    private PeerGroup(List<PeerView> members) {
        this.members = List.copyOf(members);
    }

    /** The group of c among the connections of config (auto=ignore ones included, as export treats them as enabled). */
    static PeerGroup of(Config config, Connection c) {
        IkeGroup key = IkeGroup.of(c);
        return new PeerGroup(config.connections().stream().filter(o -> IkeGroup.of(o).equals(key))
                .map(PeerView::new).toList());
    }

    /** Every connection of config, grouped by IKE SA; groups in the file order of their first member. */
    static List<PeerGroup> all(Config config) {
        Map<IkeGroup, List<PeerView>> byKey = new LinkedHashMap<>();
        for (Connection c : config.connections()) {
            byKey.computeIfAbsent(IkeGroup.of(c), k -> new ArrayList<>()).add(new PeerView(c));
        }
        return byKey.values().stream().map(PeerGroup::new).toList();
    }

    List<PeerView> members() {
        return members;
    }

    /**
     * The member whose IKE settings the group's IKE SA is written with. They are equal across the group by
     * definition of IkeGroup, except rekey=no, which IkeGroup leaves to each CHILD_SA: the first member decides.
     */
    PeerView first() {
        return members.get(0);
    }

    /** The swanctl connection's name (and its secret's, ike-NAME): the first member's. */
    String name() {
        return first().name();
    }

    boolean shared() {
        return members.size() > 1;
    }

    /** The connections' names quoted and joined for a sentence: "a", "b" and "c". */
    static String quotedNames(List<PeerView> views) {
        return sentence(views.stream().map(v -> '"' + v.name() + '"').toList());
    }

    /** The members' names joined for a sentence: a, b and c. */
    String names() {
        return sentence(members.stream().map(PeerView::name).toList());
    }

    private static String sentence(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }
}
