package io.causeway.conf.connection;

import java.util.HashSet;
import java.util.Set;

/** Which conn keys Causeway implements, which strongSwan knows but Causeway does not, and which are obsolete. */
public final class ConnKeys {
    public enum Status { IMPLEMENTED, NOT_IMPLEMENTED, OBSOLETE, UNKNOWN }

    private static final Set<String> IMPLEMENTED = new HashSet<>(Set.of(
            "also", "authby", "keyexchange", "aggressive", "ike", "esp", "ikelifetime", "lifetime", "keylife",
            "lifebytes", "lifepackets", "margintime", "rekeymargin", "marginbytes", "marginpackets", "rekeyfuzz",
            "rekey", "reauth", "keyingtries", "dpdaction", "dpddelay", "dpdtimeout", "auto", "type", "forceencaps",
            "fragmentation", "mobike", "closeaction", "replay_window"));
    private static final Set<String> NOT_IMPLEMENTED = new HashSet<>(Set.of(
            "ah", "compress", "mark", "mark_in", "mark_out", "set_mark_in", "set_mark_out", "reqid", "tfc", "inactivity",
            "installpolicy", "ikedscp", "eap_identity", "aaa_identity", "xauth", "xauth_identity", "modeconfig",
            "sha256_96", "me_peerid", "mediation", "mediated_by", "if_id_in", "if_id_out", "hw_offload", "priority",
            "copy_df", "copy_ecn", "copy_dscp", "ppk_id", "ppk_required", "leftikeport", "rightikeport"));
    private static final Set<String> OBSOLETE = new HashSet<>(Set.of("pfs", "pfsgroup"));

    static {
        for (String side : new String[] {"left", "right"}) {
            IMPLEMENTED.addAll(Set.of(side, side + "subnet", side + "id", side + "auth", side + "updown"));
            for (String suffix : new String[] {"cert", "cert2", "sourceip", "protoport", "firewall", "hostaccess",
                    "sendcert", "ca", "ca2", "groups", "groups2", "id2", "auth2", "allowany", "dns", "sigkey", "rsasigkey",
                    "cert_policy", "subnetwithin", "ikeport"}) {
                NOT_IMPLEMENTED.add(side + suffix);
            }
            OBSOLETE.add(side + "nexthop");
        }
    }

    private ConnKeys() {
    }

    public static Status status(String key) {
        if (IMPLEMENTED.contains(key)) {
            return Status.IMPLEMENTED;
        }
        if (NOT_IMPLEMENTED.contains(key)) {
            return Status.NOT_IMPLEMENTED;
        }
        return OBSOLETE.contains(key) ? Status.OBSOLETE : Status.UNKNOWN;
    }
}
