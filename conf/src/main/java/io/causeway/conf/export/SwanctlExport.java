package io.causeway.conf.export;

import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.connection.DpdAction;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import java.time.Duration;
import java.util.List;

/**
 * The peer's side as a swanctl.conf: one connection per IKE SA of ours ({@link PeerGroup}) with a child named
 * after each of our connections it carries, and its secret in a secrets section only when asked for (a commented
 * one otherwise), so the output loads with {@code swanctl --load-all --file} as it is. Lifetimes are converted as strongSwan's own stroke plugin
 * converts ipsec.conf: rekey at lifetime minus margintime, up to margintime times rekeyfuzz earlier.
 */
final class SwanctlExport {
    private static final int DEFAULT_REPLAY_WINDOW = 32;

    private SwanctlExport() {
    }

    /** `causeway export NAME`: the group of NAME as one connection, its secret (or where it goes) below. */
    static String write(PeerGroup g, PeerSecret secret, boolean withSecret) {
        ConfText t = new ConfText(" = ");
        if (g.shared()) {
            t.comment(0, "Peer side of Causeway connections " + PeerGroup.quotedNames(g.members()) + ", for strongSwan's"
                    + " swanctl.conf. The Causeway gateway carries them over one IKE SA (same peer, identities and IKE"
                    + " proposal), so they are one connection here, named after the first, with a child each. Written"
                    + " by `causeway export`: local is this peer, remote is the Causeway gateway; subnets and identities"
                    + " are swapped, proposals, lifetimes and DPD are Causeway's.");
        } else {
            t.comment(0, "Peer side of Causeway connection \"" + g.name() + "\", for strongSwan's swanctl.conf. Written"
                    + " by `causeway export`: local is this peer, remote is the Causeway gateway; subnets and identities"
                    + " are swapped, proposals, lifetimes and DPD are Causeway's.");
        }
        t.line(0, "connections {");
        connection(t, g);
        t.line(0, "}");
        secrets(t, g, secret, withSecret);
        return t.toString();
    }

    /**
     * `causeway export --all`: one connection per IKE SA of ours, all in one connections section, and all secrets
     * in one secrets section, so the file loads with one `swanctl --load-all --file`.
     */
    static String writeAll(List<PeerGroup> groups, List<PeerSecret> secrets, boolean withSecret) {
        ConfText t = new ConfText(" = ");
        t.comment(0, "Peer side of every Causeway connection, for strongSwan's swanctl.conf: one connection per IKE SA"
                + " of the Causeway gateway (named after the first Causeway connection it carries), with a child per"
                + " Causeway connection. Written by `causeway export --all`: local is this peer, remote is the Causeway"
                + " gateway; subnets and identities are swapped, proposals, lifetimes and DPD are Causeway's.");
        t.line(0, "connections {");
        for (PeerGroup g : groups) {
            connection(t, g);
        }
        t.line(0, "}");
        if (withSecret) {
            t.line(0, "secrets {");
            for (int i = 0; i < groups.size(); i++) {
                secretSection(t, "", groups.get(i), secrets.get(i).value());
            }
            t.line(0, "}");
            return t.toString();
        }
        t.blank();
        t.comment(0, "The pre-shared keys are not printed; `causeway export --all --format swanctl --with-secret`"
                + " includes them. The Causeway gateway keeps them at:");
        for (int i = 0; i < groups.size(); i++) {
            PeerSecret s = secrets.get(i);
            t.line(0, "#   ike-" + groups.get(i).name() + ": " + (s == null
                    ? "none in Causeway's ipsec.secrets yet: choose one and give both sides the same" : s.location()));
        }
        t.comment(0, "This peer needs a secrets section like:");
        t.line(0, "# secrets {");
        for (PeerGroup g : groups) {
            secretSection(t, "# ", g, "\"<the pre-shared key>\"");
        }
        t.line(0, "# }");
        return t.toString();
    }

    /**
     * One swanctl connection for the group: what the IKE SA negotiates or enforces once (version, addresses,
     * proposals, its own rekeying, DPD interval, fragmentation, encapsulation, authentication and identities), then
     * a child per member with what each CHILD_SA has for itself (traffic selectors, ESP proposals, mode, who starts
     * it, what happens to it when the peer dies or closes it, its lifetimes and replay window).
     */
    private static void connection(ConfText t, PeerGroup g) {
        PeerView v = g.first();
        Connection c = v.ours();
        t.line(4, g.name() + " {");
        t.setting(8, "version", v.ikeVersion());
        if (c.aggressive()) {
            t.setting(8, "aggressive", "yes");
        }
        t.comment(8, v.expectedPeerAddress()
                .map(a -> "local_addrs is left at %any (the address routing picks, also behind NAT); Causeway expects"
                        + " this peer at " + a + ".")
                .orElse("local_addrs is left at %any (the address routing picks); Causeway accepts this peer from"
                        + " any address."));
        ourAddress(t, v);
        t.setting(8, "remote_addrs", v.ourAddress());
        t.setting(8, "proposals", proposals(c.ike()));
        ikeLifetime(t, c);
        t.setting(8, "keyingtries", c.keyingTries());
        // one liveness check per IKE SA; what a dead peer means is up to each child (dpd_action)
        if (g.members().stream().anyMatch(m -> m.ours().dpdAction() != DpdAction.NONE)) {
            t.setting(8, "dpd_delay", StrongSwanValues.time(c.dpdDelay()));
            if (v.ikeVersion() == 1) {
                t.setting(8, "dpd_timeout", StrongSwanValues.time(c.dpdTimeout()));
            }
        }
        t.setting(8, "fragmentation", c.fragmentation().keyword());
        if (c.forceEncaps()) {
            t.setting(8, "encap", "yes");
        }
        if (!c.mobike()) {
            t.setting(8, "mobike", "no");
        }
        t.line(8, "local {");
        t.setting(12, "auth", "psk");
        v.peerId().ifPresentOrElse(id -> t.setting(12, "id", id),
                () -> t.comment(12, "no id: Causeway accepts any identity from this peer; strongSwan then sends"
                        + " this host's address."));
        t.line(8, "}");
        t.line(8, "remote {");
        t.setting(12, "auth", "psk");
        v.ourId().ifPresentOrElse(id -> t.setting(12, "id", id), () -> {
            t.comment(12, "Causeway sets no leftid and sends its own address as its identity; %any also accepts it"
                    + " when a NAT in front of Causeway changes that address.");
            t.setting(12, "id", Identity.ANY);
        });
        t.line(8, "}");
        if (g.members().stream().map(PeerView::peerAuto).distinct().count() > 1) {
            t.comment(8, "The children start differently (Causeway's conns differ in auto=): when this peer initiates"
                    + " one while the Causeway gateway initiates another, each side may set up its own IKE SA for"
                    + " them. The same auto= for all of them on the Causeway gateway gives one IKE SA.");
        }
        t.line(8, "children {");
        for (PeerView member : g.members()) {
            child(t, member);
        }
        t.line(8, "}");
        t.line(4, "}");
    }

    private static void child(ConfText t, PeerView v) {
        Connection c = v.ours();
        t.line(12, v.name() + " {");
        selectors(t, "local_ts", v.peerSubnets());
        selectors(t, "remote_ts", v.ourSubnets());
        t.setting(16, "esp_proposals", proposals(c.esp()));
        t.setting(16, "mode", c.type().keyword());
        t.comment(16, v.peerAutoReason());
        t.setting(16, "start_action", startAction(v.peerAuto()));
        if (c.dpdAction() != DpdAction.NONE) {
            t.setting(16, "dpd_action", dpdAction(c.dpdAction()));
        }
        if (c.closeAction() == CloseAction.HOLD || c.closeAction() == CloseAction.RESTART) {
            t.setting(16, "close_action", c.closeAction() == CloseAction.HOLD ? "trap" : "start");
        }
        childLifetime(t, c);
        if (c.replayWindow() != DEFAULT_REPLAY_WINDOW) {
            t.setting(16, "replay_window", c.replayWindow());
        }
        t.line(12, "}");
    }

    /** swanctl has no '!': a list is strict unless it ends in "default", which ipsec.conf appends when '!' is absent. */
    private static String proposals(List<Proposal> proposals) {
        String list = String.join(",", proposals.stream().map(Proposal::toString).toList());
        boolean strict = !proposals.isEmpty() && proposals.get(0).strict();
        return strict ? list : list + ",default";
    }

    /**
     * IKE SA: rekeyed at ikelifetime - margintime (Causeway rekeys, never re-authenticates, so reauth_time stays 0),
     * deleted margintime later at the latest.
     */
    private static void ikeLifetime(ConfText t, Connection c) {
        long margin = c.margin().getSeconds();
        long rekey = c.rekey() ? c.ikeLifetime().getSeconds() - margin : 0;
        t.setting(8, "rekey_time", StrongSwanValues.time(Duration.ofSeconds(rekey)));
        t.setting(8, "over_time", StrongSwanValues.time(c.margin()));
        t.setting(8, "rand_time", StrongSwanValues.time(Duration.ofSeconds(StrongSwanValues.fuzz(margin, c.rekeyFuzzPercent()))));
    }

    private static void childLifetime(ConfText t, Connection c) {
        long margin = c.margin().getSeconds();
        long rekey = c.rekey() ? c.lifetime().getSeconds() - margin : 0;
        t.setting(16, "rekey_time", StrongSwanValues.time(Duration.ofSeconds(rekey)));
        t.setting(16, "life_time", StrongSwanValues.time(c.lifetime()));
        t.setting(16, "rand_time", StrongSwanValues.time(Duration.ofSeconds(StrongSwanValues.fuzz(margin, c.rekeyFuzzPercent()))));
        if (c.lifeBytes() > 0) {
            t.setting(16, "life_bytes", c.lifeBytes());
            t.setting(16, "rekey_bytes", c.rekey() ? c.lifeBytes() - c.marginBytes() : 0);
            t.setting(16, "rand_bytes", StrongSwanValues.fuzz(c.marginBytes(), c.rekeyFuzzPercent()));
        }
        if (c.lifePackets() > 0) {
            t.setting(16, "life_packets", c.lifePackets());
            t.setting(16, "rekey_packets", c.rekey() ? c.lifePackets() - c.marginPackets() : 0);
            t.setting(16, "rand_packets", StrongSwanValues.fuzz(c.marginPackets(), c.rekeyFuzzPercent()));
        }
    }

    private static void ourAddress(ConfText t, PeerView v) {
        if (!v.ourAddressKnown()) {
            t.comment(8, "EDIT: remote_addrs is the Causeway gateway's public address. Its ipsec.conf says left="
                    + v.ours().left().host() + ", so the address is only known at run time: replace the placeholder.");
        } else if (v.ourAddressPrivate()) {
            t.comment(8, "CHECK: " + v.ourAddress() + " is a private address. If the Causeway gateway reaches this"
                    + " peer through NAT, write its public address here instead.");
        }
    }

    private static void selectors(ConfText t, String key, List<Subnet> subnets) {
        if (!subnets.isEmpty()) {
            t.setting(16, key, String.join(",", subnets.stream().map(Subnet::toString).toList()));
        }
    }

    private static String startAction(AutoAction auto) {
        return switch (auto) {
            case START -> "start";
            case ROUTE -> "trap";
            case ADD, IGNORE -> "none";
        };
    }

    /** ipsec.conf's hold is swanctl's trap; clear and restart keep their names. (closeaction=clear acts like none.) */
    private static String dpdAction(DpdAction action) {
        return action == DpdAction.HOLD ? "trap" : action.keyword();
    }

    private static void secrets(ConfText t, PeerGroup g, PeerSecret secret, boolean withSecret) {
        if (withSecret && secret != null) {
            t.line(0, "secrets {");
            secretSection(t, "", g, secret.value());
            t.line(0, "}");
            return;
        }
        t.blank();
        if (secret == null) {
            t.comment(0, "Causeway's ipsec.secrets has no key for these identities yet: choose one and give both"
                    + " sides the same. This peer needs a secrets section like:");
        } else {
            t.comment(0, "The pre-shared key is not printed; `causeway export " + g.name() + " --format swanctl"
                    + " --with-secret` includes it. The Causeway gateway keeps it at:");
            t.line(0, "#   " + secret.location());
            t.comment(0, "This peer needs a secrets section like:");
        }
        t.line(0, "# secrets {");
        secretSection(t, "# ", g, "\"<the pre-shared key>\"");
        t.line(0, "# }");
    }

    /** The group's ike-NAME subsection of secrets, each line after prefix ("# " when it only shows the shape). */
    private static void secretSection(ConfText t, String prefix, PeerGroup g, String value) {
        List<Identity> ids = PeerSecret.selectors(g.first());
        String in1 = prefix + "    ";
        String in2 = prefix + "        ";
        t.line(0, in1 + "ike-" + g.name() + " {");
        for (int i = 0; i < ids.size(); i++) {
            t.line(0, in2 + "id-" + (i + 1) + " = " + ids.get(i));
        }
        t.line(0, in2 + "secret = " + value);
        t.line(0, in1 + "}");
    }
}
