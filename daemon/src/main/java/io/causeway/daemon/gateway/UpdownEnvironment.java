package io.causeway.daemon.gateway;

import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.Subnet;
import io.causeway.ike.sa.ChildSaInstall;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PLUTO_* variables strongSwan's updown plugin gives a leftupdown script, one set per combination of a local
 * and a remote subnet of the CHILD_SA (strongSwan runs the script once per pair of traffic selectors). Keys never:
 * the script sees addresses, identities, SPI-independent ids and the TUN device only.
 */
final class UpdownEnvironment {
    /** strongSwan's updown interface version; scripts check it. */
    static final String VERSION = "1.1";

    /** What the script is told about one CHILD_SA besides what the engine negotiated. */
    record Context(String tunDevice, int reqid, int uniqueId) {}

    private UpdownEnvironment() {}

    /** One environment per (local subnet, remote subnet) pair, local subnets outermost, as negotiated. */
    static List<Map<String, String>> of(boolean up, Connection conn, ChildSaInstall child, Context context) {
        List<Map<String, String>> all = new ArrayList<>();
        for (Subnet mine : child.localSelectors()) {
            for (Subnet theirs : child.remoteSelectors()) {
                all.add(one(up, conn, child, context, mine, theirs));
            }
        }
        return all;
    }

    private static Map<String, String> one(boolean up, Connection conn, ChildSaInstall child, Context context,
                                           Subnet mine, Subnet theirs) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PLUTO_VERSION", VERSION);
        String verb = (up ? "up" : "down") + "-client" + (mine.isIpv4() ? "" : "-v6");
        env.put("PLUTO_VERB", verb);
        env.put("PLUTO_CONNECTION", conn.name());
        env.put("PLUTO_INTERFACE", context.tunDevice());
        env.put("PLUTO_REQID", String.valueOf(context.reqid()));
        env.put("PLUTO_UNIQUEID", String.valueOf(context.uniqueId()));
        env.put("PLUTO_PROTO", "esp");
        env.put("PLUTO_ME", IpLiteral.format(child.local().getAddress()));
        env.put("PLUTO_MY_ID", identity(conn.left().id(), child.local().getAddress()));
        client(env, "PLUTO_MY", mine);
        env.put("PLUTO_PEER", IpLiteral.format(child.peer().getAddress()));
        env.put("PLUTO_PEER_ID", child.peerId() != null ? printable(child.peerId().value())
                : identity(conn.right().id(), child.peer().getAddress()));
        client(env, "PLUTO_PEER", theirs);
        // RFC 3948: strongSwan passes the peer's NAT-T port when ESP is UDP-encapsulated
        if (child.udpEncapsulation()) env.put("PLUTO_UDP_ENC", String.valueOf(child.peer().getPort()));
        return env;
    }

    private static void client(Map<String, String> env, String prefix, Subnet s) {
        env.put(prefix + "_CLIENT", IpLiteral.format(s.address()) + "/" + s.prefixLength());
        env.put(prefix + "_CLIENT_NET", IpLiteral.format(s.address()));
        env.put(prefix + "_CLIENT_MASK", IpLiteral.format(netmask(s)));
        env.put(prefix + "_PROTOCOL", String.valueOf(s.protocol()));
        boolean anyPort = s.fromPort() == 0 && s.toPort() == 65535;
        env.put(prefix + "_PORT", String.valueOf(anyPort ? 0 : s.fromPort()));
    }

    /** A configured identity, or the address when the connection accepts any (%any). */
    private static String identity(Identity configured, InetAddress address) {
        return configured.isAny() ? IpLiteral.format(address) : configured.value();
    }

    /**
     * The peer chose the bytes of its id: control characters (a NUL would make the environment unusable, a newline
     * would split a script's log line) are shown as '?'.
     */
    private static String printable(String peerChosen) {
        StringBuilder b = new StringBuilder(peerChosen.length());
        peerChosen.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static InetAddress netmask(Subnet s) {
        byte[] mask = new byte[s.address().getAddress().length];
        for (int i = 0; i < s.prefixLength(); i++) mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        try {
            return InetAddress.getByAddress(mask);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }
}
