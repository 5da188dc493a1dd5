package io.causeway.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
  * Two gateways, west and east, in their own network namespaces:
  *
  * <pre>
  *   without NAT:  west wv 192.0.2.1  ----veth----  ev 192.0.2.2 east
  *                      2001:db8::1                 2001:db8::2
  *   with NAT:     west wv 172.31.0.2 -- nw [nat] ne 192.0.2.1 -- ev 192.0.2.2 east
  *                      2001:db8:31::2             2001:db8::1      2001:db8::2
  * </pre>
  *
  * Behind NAT, nat masquerades west to 192.0.2.1 (and 2001:db8::1) with nftables, so east sees
  * west at the same public addresses in both layouts. Each gateway has one host of its private
  * subnet on lo (this kernel has no dummy interfaces): west 10.1.0.1 and fd00:1::1, east 10.2.0.1
  * and fd00:2::1. Interface names are short and fixed; they live only inside our namespaces.
  */
public final class Topology implements AutoCloseable {
    public static final String WEST_PUBLIC_V4 = "192.0.2.1";
    public static final String EAST_PUBLIC_V4 = "192.0.2.2";
    public static final String WEST_PUBLIC_V6 = "2001:db8::1";
    public static final String EAST_PUBLIC_V6 = "2001:db8::2";
    public static final String WEST_BEHIND_NAT_V4 = "172.31.0.2";
    public static final String NAT_INSIDE_V4 = "172.31.0.1";
    public static final String WEST_BEHIND_NAT_V6 = "2001:db8:31::2";
    public static final String NAT_INSIDE_V6 = "2001:db8:31::1";
    public static final String WEST_HOST_V4 = "10.1.0.1";
    public static final String WEST_HOST_V6 = "fd00:1::1";
    public static final String EAST_HOST_V4 = "10.2.0.1";
    public static final String EAST_HOST_V6 = "fd00:2::1";
    public static final String WEST_SUBNET_V4 = "10.1.0.0/24";
    public static final String WEST_SUBNET_V6 = "fd00:1::/64";
    public static final String EAST_SUBNET_V4 = "10.2.0.0/24";
    public static final String EAST_SUBNET_V6 = "fd00:2::/64";
    /** The outer interface of each gateway (the same name in both layouts). */
    public static final String WEST_INTERFACE = "wv";
    public static final String EAST_INTERFACE = "ev";
    /** West's and the peer's ends of the link {@link #addWestPeer} makes. */
    public static final String WEST_PEER_INTERFACE = "wp";
    public static final String PEER_WEST_INTERFACE = "pw";

    private static final String LOSS_TABLE = "causeway_lab_loss";
    private static final Duration DAD_DEADLINE = Duration.ofSeconds(5);

    private final String prefix;
    private final boolean withNat;
    private final List<Netns> created = new ArrayList<>();
    private Netns west;
    private Netns east;
    private Netns nat;

    private Topology(String prefix, boolean withNat) {
        this.prefix = prefix;
        this.withNat = withNat;
    }

    /**
      * Builds the topology. If any step fails, whatever was already created is removed before the
      * exception propagates.
      */
    public static Topology create(String prefix, boolean withNat) {
        Topology topology = new Topology(prefix, withNat);
        try {
            topology.build();
            return topology;
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    private void build() {
        west = add("w");
        east = add("e");
        west.ip("addr", "add", WEST_HOST_V4 + "/32", "dev", "lo");
        west.ip("addr", "add", WEST_HOST_V6 + "/128", "dev", "lo");
        east.ip("addr", "add", EAST_HOST_V4 + "/32", "dev", "lo");
        east.ip("addr", "add", EAST_HOST_V6 + "/128", "dev", "lo");
        if (withNat) {
            buildNatted();
        } else {
            veth(west, WEST_INTERFACE, east, EAST_INTERFACE);
            address(west, WEST_INTERFACE, WEST_PUBLIC_V4 + "/24", WEST_PUBLIC_V6 + "/64");
            address(east, EAST_INTERFACE, EAST_PUBLIC_V4 + "/24", EAST_PUBLIC_V6 + "/64");
        }
        for (Netns ns : created) {
            awaitNoTentativeAddresses(ns);
        }
    }

    private void buildNatted() {
        nat = add("n");
        veth(west, WEST_INTERFACE, nat, "nw");
        veth(east, EAST_INTERFACE, nat, "ne");
        address(west, WEST_INTERFACE, WEST_BEHIND_NAT_V4 + "/24", WEST_BEHIND_NAT_V6 + "/64");
        address(nat, "nw", NAT_INSIDE_V4 + "/24", NAT_INSIDE_V6 + "/64");
        address(nat, "ne", WEST_PUBLIC_V4 + "/24", WEST_PUBLIC_V6 + "/64");
        address(east, EAST_INTERFACE, EAST_PUBLIC_V4 + "/24", EAST_PUBLIC_V6 + "/64");
        west.ip("route", "add", "default", "via", NAT_INSIDE_V4);
        west.ip("-6", "route", "add", "default", "via", NAT_INSIDE_V6);
        nat.sysctl("net.ipv4.ip_forward", "1");
        nat.sysctl("net.ipv6.conf.all.forwarding", "1");
        // One inet table masquerades both families; only traffic leaving towards east is rewritten.
        nat.nft("""
            table inet causeway_lab_nat {
              chain post {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "ne" masquerade
              }
            }
            """);
    }

    private Netns add(String suffix) {
        Netns ns = Netns.create(prefix + suffix);
        created.add(ns);
        // Before any interface exists, so new ones (and their link-local addresses) skip DAD too;
        // otherwise addresses stay "tentative" and unusable for about two seconds.
        ns.sysctl("net.ipv6.conf.default.accept_dad", "0");
        ns.sysctl("net.ipv6.conf.all.accept_dad", "0");
        return ns;
    }

    private static void veth(Netns a, String aName, Netns b, String bName) {
        // Created directly inside both namespaces: the names never exist in the host namespace.
        Commands.run(Duration.ofSeconds(10), "ip", "link", "add", aName, "netns", a.name(), "type", "veth",
                "peer", "name", bName, "netns", b.name()).orThrow();
        a.ip("link", "set", aName, "up");
        b.ip("link", "set", bName, "up");
    }

    private static void address(Netns ns, String dev, String v4, String v6) {
        ns.ip("addr", "add", v4, "dev", dev);
        // nodad: duplicate address detection would keep the address unusable for about 2 s
        ns.ip("-6", "addr", "add", v6, "dev", dev, "nodad");
    }

    private static void awaitNoTentativeAddresses(Netns ns) {
        // DAD is off, so this returns at once; it guards against a kernel that ignores the sysctl
        Poll.require(DAD_DEADLINE, "IPv6 DAD in " + ns.name(),
                () -> ns.ip("-6", "addr", "show", "tentative").stdout().isBlank());
    }

    /**
      * A third namespace ({@code prefix + suffix}) on a link of its own to west: west {@value #WEST_PEER_INTERFACE}
      * {@code net.1/24}, the peer {@value #PEER_WEST_INTERFACE} {@code net.2/24}, e.g. {@code net} 198.19.0. The peer
      * reaches west's outer IPv4 address through that link, so a third gateway (strongSwan, say) can initiate to
      * west while east keeps its own link. Deleted with the topology.
      */
    public Netns addWestPeer(String suffix, String net) {
        if (!net.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("not the first three octets of an IPv4 /24: " + net);
        }
        Netns peer = add(suffix);
        veth(west, WEST_PEER_INTERFACE, peer, PEER_WEST_INTERFACE);
        west.ip("addr", "add", net + ".1/24", "dev", WEST_PEER_INTERFACE);
        peer.ip("addr", "add", net + ".2/24", "dev", PEER_WEST_INTERFACE);
        peer.ip("route", "add", westOuterV4() + "/32", "via", net + ".1");
        return peer;
    }

    /**
      * Drops percent% of UDP packets leaving the namespace (nftables numgen random; this kernel
      * has no netem). 0 removes the rule.
      */
    public void loss(String nsName, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100: " + percent);
        }
        Netns ns = created.stream().filter(n -> n.name().equals(nsName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(nsName + " is not part of this topology"));
        ns.exec(Duration.ofSeconds(10), "nft", "delete", "table", "inet", LOSS_TABLE); // absent is fine
        if (percent == 0) {
            return;
        }
        // numgen yields 0..99, so "< 100" is out of range for nft: total loss is a plain drop
        String match = percent == 100 ? "" : "numgen random mod 100 < " + percent + " ";
        ns.nft("table inet " + LOSS_TABLE + " {\n"
                + "  chain out {\n"
                + "    type filter hook output priority 0; policy accept;\n"
                + "    meta l4proto udp " + match + "drop\n"
                + "  }\n"
                + "}\n");
    }

    public void loss(Netns ns, int percent) {
        loss(ns.name(), percent);
    }

    public String prefix() {
        return prefix;
    }

    public boolean withNat() {
        return withNat;
    }

    public Netns west() {
        return west;
    }

    public Netns east() {
        return east;
    }

    public Optional<Netns> nat() {
        return Optional.ofNullable(nat);
    }

    /** The address configured on west's outer interface (behind NAT: its private address). */
    public String westOuterV4() {
        return withNat ? WEST_BEHIND_NAT_V4 : WEST_PUBLIC_V4;
    }

    public String westOuterV6() {
        return withNat ? WEST_BEHIND_NAT_V6 : WEST_PUBLIC_V6;
    }

    /** The address east sees west at (the NAT's outside address when natted). */
    public String westPublicV4() {
        return WEST_PUBLIC_V4;
    }

    public String westPublicV6() {
        return WEST_PUBLIC_V6;
    }

    public String eastOuterV4() {
        return EAST_PUBLIC_V4;
    }

    public String eastOuterV6() {
        return EAST_PUBLIC_V6;
    }

    public String westHostV4() {
        return WEST_HOST_V4;
    }

    public String westHostV6() {
        return WEST_HOST_V6;
    }

    public String eastHostV4() {
        return EAST_HOST_V4;
    }

    public String eastHostV6() {
        return EAST_HOST_V6;
    }

    public String westInterface() {
        return WEST_INTERFACE;
    }

    public String eastInterface() {
        return EAST_INTERFACE;
    }

    /** Every namespace this topology made, in creation order. */
    public List<Netns> namespaces() {
        return List.copyOf(created);
    }

    /**
      * Kills every process in our namespaces and deletes them. Only the namespaces this instance
      * created are touched; failures are collected so one stuck namespace does not leave the rest.
      */
    @Override
    public void close() {
        LabException failure = null;
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                created.get(i).delete();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new LabException("cleanup of topology " + prefix + " incomplete");
                }
                failure.addSuppressed(e);
            }
        }
        created.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
