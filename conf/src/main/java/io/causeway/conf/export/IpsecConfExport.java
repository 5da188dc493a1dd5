package io.causeway.conf.export;

import io.causeway.conf.connection.CloseAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.proposal.Proposal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer's side as strongSwan ipsec.conf conn sections (one, or all of ours with --all), followed by their
 * ipsec.secrets lines after {@link #SECRETS_MARKER}. Everything above the marker is a loadable ipsec.conf; the key
 * itself appears only when asked for, otherwise a comment says where it goes and where ours is kept.
 */
final class IpsecConfExport {
    /** Separates the ipsec.conf part from the ipsec.secrets part of the output. */
    static final String SECRETS_MARKER = "# ---- ipsec.secrets ----";
    private static final int IN = 4;
    private static final int DEFAULT_REPLAY_WINDOW = 32;

    private IpsecConfExport() {
    }

    /** `causeway export NAME`: the conn of v (a member of g), then its secrets line. */
    static String write(PeerGroup g, PeerView v, PeerSecret secret, boolean withSecret) {
        ConfText t = new ConfText("=");
        t.comment(0, "Peer side of Causeway connection \"" + v.name() + "\", for strongSwan's ipsec.conf (with"
                + " ipsec.secrets below). Written by `causeway export`: left is this peer, right is the Causeway gateway;"
                + " subnets and identities are swapped, proposals, lifetimes and DPD are Causeway's.");
        if (g.shared()) {
            List<PeerView> others = g.members().stream().filter(m -> !m.name().equals(v.name())).toList();
            t.comment(0, "On the Causeway gateway it shares one IKE SA with " + PeerGroup.quotedNames(others)
                    + " (same peer, identities and IKE proposal). `causeway export --all` writes their conns too;"
                    + " strongSwan loads such conns onto one IKE SA by itself.");
        }
        conn(t, v);
        t.blank();
        secrets(t, v, secret, withSecret);
        return t.toString();
    }

    /**
     * `causeway export --all`: the conns of all our connections in file order, then the secrets lines, one per pair
     * of identities (groups with the same identities use the same entry of our ipsec.secrets, so one line serves
     * them all).
     */
    static String writeAll(List<PeerView> conns, List<PeerGroup> groups, List<PeerSecret> secrets, boolean withSecret) {
        ConfText t = new ConfText("=");
        t.comment(0, "Peer side of every Causeway connection, for strongSwan's ipsec.conf (with ipsec.secrets below)."
                + " Written by `causeway export --all`: left is this peer, right is the Causeway gateway; subnets and"
                + " identities are swapped, proposals, lifetimes and DPD are Causeway's. Conns that share one IKE SA"
                + " on the Causeway gateway (same peer, identities and IKE proposal) share one here as well.");
        for (PeerView v : conns) {
            conn(t, v);
            t.blank();
        }
        t.line(0, SECRETS_MARKER);
        // selectors -> the groups' key and the names of the connections the line serves
        Map<String, PeerSecret> keys = new LinkedHashMap<>();
        Map<String, List<PeerView>> users = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            String selectors = selectors(groups.get(i).first());
            keys.putIfAbsent(selectors, secrets.get(i));
            users.computeIfAbsent(selectors, k -> new ArrayList<>()).addAll(groups.get(i).members());
        }
        if (withSecret) {
            keys.forEach((selectors, secret) -> t.line(0, selectors + ": PSK " + secret.value()));
            return t.toString();
        }
        t.comment(0, "The pre-shared keys are not printed; `causeway export --all --with-secret` includes them. On"
                + " this peer, ipsec.secrets needs the lines below.");
        keys.forEach((selectors, secret) -> {
            String names = String.join(", ", users.get(selectors).stream().map(PeerView::name).toList());
            t.comment(0, names + ": " + (secret == null
                    ? "Causeway's ipsec.secrets has no key for these identities yet: choose one and give both sides"
                            + " the same."
                    : "the Causeway gateway keeps the key at " + secret.location()));
            t.line(0, "# " + selectors + ": PSK \"<the pre-shared key>\"");
        });
        return t.toString();
    }

    private static void conn(ConfText t, PeerView v) {
        Connection c = v.ours();
        t.line(0, "conn " + v.name());
        t.setting(IN, "keyexchange", v.ikeVersion() == 1 ? "ikev1" : "ikev2");
        if (c.aggressive()) {
            t.setting(IN, "aggressive", "yes");
        }
        t.setting(IN, "authby", "psk");
        t.comment(IN, v.peerAutoReason());
        t.setting(IN, "auto", v.peerAuto().keyword());
        t.setting(IN, "type", c.type().keyword());

        t.comment(IN, v.expectedPeerAddress()
                .map(a -> "left is this peer. Causeway expects it at " + a + "; %defaultroute takes the address of the"
                        + " default route's interface, which also works behind NAT.")
                .orElse("left is this peer. Causeway accepts it from any address (right=" + c.right().host() + ");"
                        + " %defaultroute takes the address of the default route's interface."));
        t.setting(IN, "left", "%defaultroute");
        v.peerId().ifPresentOrElse(id -> t.setting(IN, "leftid", id),
                () -> t.comment(IN, "no leftid: Causeway accepts any identity from this peer (rightid=%any on its"
                        + " side); strongSwan then sends this host's address."));
        subnets(t, "leftsubnet", v.peerSubnets());
        ourAddress(t, v);
        t.setting(IN, "right", v.ourAddress());
        v.ourId().ifPresentOrElse(id -> t.setting(IN, "rightid", id), () -> {
            t.comment(IN, "Causeway sets no leftid and sends its own address as its identity; %any also accepts it"
                    + " when a NAT in front of Causeway changes that address.");
            t.setting(IN, "rightid", Identity.ANY);
        });
        subnets(t, "rightsubnet", v.ourSubnets());

        t.setting(IN, "ike", Proposal.format(c.ike()));
        t.setting(IN, "esp", Proposal.format(c.esp()));
        t.setting(IN, "ikelifetime", StrongSwanValues.time(c.ikeLifetime()));
        t.setting(IN, "lifetime", StrongSwanValues.time(c.lifetime()));
        t.setting(IN, "margintime", StrongSwanValues.time(c.margin()));
        t.setting(IN, "rekeyfuzz", c.rekeyFuzzPercent() + "%");
        volumes(t, c);
        if (!c.rekey()) {
            t.setting(IN, "rekey", "no");
        }
        if (v.ikeVersion() == 2) {
            t.comment(IN, "Causeway rekeys the IKE SA in place (CREATE_CHILD_SA) and never re-authenticates;"
                    + " reauth=no makes strongSwan do the same, without the gap a re-authentication leaves.");
            t.setting(IN, "reauth", "no");
        }
        t.setting(IN, "dpdaction", c.dpdAction().keyword());
        t.setting(IN, "dpddelay", StrongSwanValues.time(c.dpdDelay()));
        t.setting(IN, "dpdtimeout", StrongSwanValues.time(c.dpdTimeout()));
        if (c.closeAction() != CloseAction.NONE) {
            t.setting(IN, "closeaction", c.closeAction().keyword());
        }
        t.setting(IN, "keyingtries", c.keyingTries() == 0 ? "%forever" : Integer.toString(c.keyingTries()));
        t.setting(IN, "fragmentation", c.fragmentation().keyword());
        if (c.forceEncaps()) {
            t.setting(IN, "forceencaps", "yes");
        }
        if (!c.mobike()) {
            t.setting(IN, "mobike", "no");
        }
        if (c.replayWindow() != DEFAULT_REPLAY_WINDOW) {
            t.setting(IN, "replay_window", c.replayWindow());
        }
    }

    private static void subnets(ConfText t, String key, List<Subnet> subnets) {
        if (!subnets.isEmpty()) {
            t.setting(IN, key, String.join(",", subnets.stream().map(Subnet::toString).toList()));
        }
    }

    private static void ourAddress(ConfText t, PeerView v) {
        if (!v.ourAddressKnown()) {
            t.comment(IN, "EDIT: right is the Causeway gateway's public address. Its ipsec.conf says left="
                    + v.ours().left().host() + ", so the address is only known at run time: replace the placeholder.");
        } else if (v.ourAddressPrivate()) {
            t.comment(IN, "CHECK: " + v.ourAddress() + " is a private address. If the Causeway gateway reaches this"
                    + " peer through NAT, write its public address here instead.");
        }
    }

    private static void volumes(ConfText t, Connection c) {
        if (c.lifeBytes() > 0) {
            t.setting(IN, "lifebytes", c.lifeBytes());
            t.setting(IN, "marginbytes", c.marginBytes());
        }
        if (c.lifePackets() > 0) {
            t.setting(IN, "lifepackets", c.lifePackets());
            t.setting(IN, "marginpackets", c.marginPackets());
        }
    }

    private static void secrets(ConfText t, PeerView v, PeerSecret secret, boolean withSecret) {
        t.line(0, SECRETS_MARKER);
        String selectors = selectors(v);
        if (withSecret && secret != null) {
            t.line(0, selectors + ": PSK " + secret.value());
            return;
        }
        if (secret == null) {
            t.comment(0, "Causeway's ipsec.secrets has no key for these identities yet: choose one and give both"
                    + " sides the same. On this peer, ipsec.secrets needs the line:");
        } else {
            t.comment(0, "The pre-shared key is not printed; `causeway export " + v.name() + " --with-secret`"
                    + " includes it. The Causeway gateway keeps it at:");
            t.line(0, "#   " + secret.location());
            t.comment(0, "On this peer, ipsec.secrets needs the line:");
        }
        t.line(0, "# " + selectors + ": PSK \"<the pre-shared key>\"");
    }

    /** The identities an ipsec.secrets line starts with, followed by a space; empty when both sides accept any. */
    private static String selectors(PeerView v) {
        List<Identity> ids = PeerSecret.selectors(v);
        return ids.isEmpty() ? "" : String.join(" ", ids.stream().map(Identity::toString).toList()) + " ";
    }
}
