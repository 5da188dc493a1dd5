package io.causeway.conf.validate;

import io.causeway.conf.Diagnostics;
import io.causeway.conf.SourceLocation;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.Subnet;
import java.util.List;
import java.util.Locale;

/**
 * Two loaded connections to the same peer whose local and remote subnets both overlap: a packet could
 * match either policy (Tencent's SPD rule, seed 003). Same remote subnets behind different local ones are fine.
 */
public final class PeerOverlapCheck {
    private PeerOverlapCheck() {
    }

    public static void check(List<Connection> connections, Diagnostics diagnostics) {
        for (int j = 0; j < connections.size(); j++) {
            Connection later = connections.get(j);
            for (int i = 0; i < j; i++) {
                Connection earlier = connections.get(i);
                if (samePeer(earlier, later)) {
                    report(earlier, later, diagnostics);
                }
            }
        }
    }

    private static boolean samePeer(Connection a, Connection b) {
        return !a.right().anyAddress() && !a.right().defaultRoute()
                && a.right().host().toLowerCase(Locale.ROOT).equals(b.right().host().toLowerCase(Locale.ROOT));
    }

    private static void report(Connection earlier, Connection later, Diagnostics diagnostics) {
        for (Subnet localA : earlier.left().subnets()) {
            for (Subnet localB : later.left().subnets()) {
                if (!localA.overlaps(localB)) {
                    continue;
                }
                for (Subnet remoteA : earlier.right().subnets()) {
                    for (Subnet remoteB : later.right().subnets()) {
                        if (remoteA.overlaps(remoteB)) {
                            SourceLocation at = later.origin("rightsubnet");
                            diagnostics.error(at.file(), at.line(), "rightsubnet", "conn '" + later.name() + "' ("
                                    + localB + " === " + remoteB + ") overlaps conn '" + earlier.name() + "' ("
                                    + localA + " === " + remoteA + ", " + earlier.location() + ") to the same peer "
                                    + later.right().host() + "; traffic could match either (make the subnets disjoint)");
                            return;
                        }
                    }
                }
            }
        }
    }
}
