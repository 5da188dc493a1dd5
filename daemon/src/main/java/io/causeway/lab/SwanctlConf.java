package io.causeway.lab;

import java.util.List;
import java.util.Objects;

/**
  * Writes swanctl.conf text for the common case: one IKE connection with a pre-shared key and one
  * child SA between two subnets. Tests configure only what differs from the defaults instead of
  * hand-writing config text.
  *
  * <pre>
  *   String east = SwanctlConf.builder().localAddrs("192.0.2.2").remoteAddrs("%any")
  *       .localId("east.example").remoteId("west.example")
  *       .localTs("10.2.0.0/24").remoteTs("10.1.0.0/24").build();
  * </pre>
  */
public final class SwanctlConf {
    /** Test fixture: the pre-shared key both lab peers use unless told otherwise. */
    public static final String LAB_PSK = "causeway lab pre-shared key, not a secret";
    public static final String DEFAULT_CONNECTION = "s2s";
    public static final String DEFAULT_CHILD = "net";

    private String connection = DEFAULT_CONNECTION;
    private String child = DEFAULT_CHILD;
    private int version = 2;
    private boolean aggressive;
    private String localAddrs = "%any";
    private String remoteAddrs = "%any";
    private String localId;
    private String remoteId;
    private String psk = LAB_PSK;
    private String proposals = "aes128-sha256-ecp256";
    private String espProposals = "aes128gcm16";
    private String localTs;
    private String remoteTs;
    private String startAction = "none";
    private String dpdDelay;
    private String rekeyTime;
    private String childRekeyTime;
    private String childLifeTime;
    private String childRandTime;
    private String encap;
    private String fragmentation;

    private SwanctlConf() {}

    public static SwanctlConf builder() {
        return new SwanctlConf();
    }

    /** West initiates to east over the topology, IPv4 subnets; change what you need after this. */
    public static SwanctlConf westInitiator(Topology topology) {
        return builder().localAddrs(topology.westOuterV4()).remoteAddrs(topology.eastOuterV4())
                .localId("west.example").remoteId("east.example")
                .localTs(Topology.WEST_SUBNET_V4).remoteTs(Topology.EAST_SUBNET_V4);
    }

    /** East responds to west from any address (west may be behind NAT). */
    public static SwanctlConf eastResponder(Topology topology) {
        return builder().localAddrs(topology.eastOuterV4()).remoteAddrs("%any")
                .localId("east.example").remoteId("west.example")
                .localTs(Topology.EAST_SUBNET_V4).remoteTs(Topology.WEST_SUBNET_V4);
    }

    public SwanctlConf connection(String name) {
        this.connection = name;
        return this;
    }

    public SwanctlConf child(String name) {
        this.child = name;
        return this;
    }

    public SwanctlConf version(int ikeVersion) {
        this.version = ikeVersion;
        return this;
    }

    /** IKEv1 Aggressive Mode (needs the matching strongswan.conf switch, which StrongSwan sets). */
    public SwanctlConf aggressive(boolean on) {
        this.aggressive = on;
        return this;
    }

    public SwanctlConf localAddrs(String addrs) {
        this.localAddrs = addrs;
        return this;
    }

    public SwanctlConf remoteAddrs(String addrs) {
        this.remoteAddrs = addrs;
        return this;
    }

    public SwanctlConf localId(String id) {
        this.localId = id;
        return this;
    }

    public SwanctlConf remoteId(String id) {
        this.remoteId = id;
        return this;
    }

    public SwanctlConf psk(String secret) {
        this.psk = secret;
        return this;
    }

    /** IKE proposals, strongSwan syntax, comma separated (e.g. aes128-sha256-ecp256). */
    public SwanctlConf proposals(String list) {
        this.proposals = list;
        return this;
    }

    /** ESP proposals, strongSwan syntax (e.g. aes128gcm16 or aes128-sha256-modp2048). */
    public SwanctlConf espProposals(String list) {
        this.espProposals = list;
        return this;
    }

    /** Local traffic selectors, comma separated (e.g. 10.1.0.0/24,fd00:1::/64). */
    public SwanctlConf localTs(String selectors) {
        this.localTs = selectors;
        return this;
    }

    public SwanctlConf remoteTs(String selectors) {
        this.remoteTs = selectors;
        return this;
    }

    /** none (initiate by hand), start (initiate at load) or trap (on first packet). */
    public SwanctlConf startAction(String action) {
        this.startAction = action;
        return this;
    }

    public SwanctlConf dpdDelay(String delay) {
        this.dpdDelay = delay;
        return this;
    }

    public SwanctlConf rekeyTime(String ikeRekey) {
        this.rekeyTime = ikeRekey;
        return this;
    }

    public SwanctlConf childRekeyTime(String childRekey) {
        this.childRekeyTime = childRekey;
        return this;
    }

    /** Hard CHILD_SA lifetime; strongSwan's default (rekey_time + 10%) is too tight for seconds-long tests. */
    public SwanctlConf childLifeTime(String childLife) {
        this.childLifeTime = childLife;
        return this;
    }

    /** Random time subtracted from rekey_time; 0s makes strongSwan rekey exactly at rekey_time. */
    public SwanctlConf childRandTime(String childRand) {
        this.childRandTime = childRand;
        return this;
    }

    /** yes forces UDP encapsulation even without NAT (kernel-libipsec does it anyway). */
    public SwanctlConf encap(boolean force) {
        this.encap = force ? "yes" : "no";
        return this;
    }

    /** IKE fragmentation (RFC 7383): yes (strongSwan's default), accept, force or no. */
    public SwanctlConf fragmentation(String mode) {
        this.fragmentation = mode;
        return this;
    }

    public String connectionName() {
        return connection;
    }

    public String childName() {
        return child;
    }

    public String build() {
        Objects.requireNonNull(localId, "localId");
        Objects.requireNonNull(remoteId, "remoteId");
        Objects.requireNonNull(localTs, "localTs");
        Objects.requireNonNull(remoteTs, "remoteTs");
        StringBuilder out = new StringBuilder();
        out.append("# written by io.causeway.lab.SwanctlConf\n");
        out.append("connections {\n");
        out.append("  ").append(connection).append(" {\n");
        line(out, 4, "version", Integer.toString(version));
        if (aggressive) {
            line(out, 4, "aggressive", "yes");
        }
        line(out, 4, "local_addrs", localAddrs);
        line(out, 4, "remote_addrs", remoteAddrs);
        line(out, 4, "proposals", proposals);
        optional(out, 4, "dpd_delay", dpdDelay);
        optional(out, 4, "rekey_time", rekeyTime);
        optional(out, 4, "encap", encap);
        optional(out, 4, "fragmentation", fragmentation);
        out.append("    local {\n");
        line(out, 6, "auth", "psk");
        line(out, 6, "id", localId);
        out.append("    }\n");
        out.append("    remote {\n");
        line(out, 6, "auth", "psk");
        line(out, 6, "id", remoteId);
        out.append("    }\n");
        out.append("    children {\n");
        out.append("      ").append(child).append(" {\n");
        line(out, 8, "local_ts", localTs);
        line(out, 8, "remote_ts", remoteTs);
        line(out, 8, "esp_proposals", espProposals);
        line(out, 8, "start_action", startAction);
        optional(out, 8, "rekey_time", childRekeyTime);
        optional(out, 8, "life_time", childLifeTime);
        optional(out, 8, "rand_time", childRandTime);
        out.append("      }\n");
        out.append("    }\n");
        out.append("  }\n");
        out.append("}\n");
        out.append("secrets {\n");
        out.append("  ike-").append(connection).append(" {\n");
        line(out, 4, "id-local", localId);
        line(out, 4, "id-remote", remoteId);
        line(out, 4, "secret", quote(psk));
        out.append("  }\n");
        out.append("}\n");
        return out.toString();
    }

    private static void line(StringBuilder out, int indent, String key, String value) {
        out.append(" ".repeat(indent)).append(key).append(" = ").append(value).append('\n');
    }

    private static void optional(StringBuilder out, int indent, String key, String value) {
        if (value != null) {
            line(out, indent, key, value);
        }
    }

    private static String quote(String secret) {
        if (secret.contains("\"") || secret.contains("\\")) {
            // swanctl.conf has no escape for these inside quotes; a hex secret avoids the problem
            return "0x" + hex(secret);
        }
        return '"' + secret + '"';
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return build();
    }

    /** Lists are written comma separated, as swanctl.conf expects. */
    public static String list(List<String> items) {
        return String.join(",", items);
    }
}
