package io.causeway.conf.validate;

import io.causeway.conf.Diagnostics;
import io.causeway.conf.SourceLocation;
import io.causeway.conf.connection.AutoAction;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.PeerAddressRule;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.secrets.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Checks on one connection that need more than one setting: addresses, subnets, lifetimes, auto, PSK. */
public final class ConnectionChecks {
    private final Diagnostics diagnostics;
    private final Secrets secrets;
    private final Path secretsFile;
    private final boolean secretsPresent;

    public ConnectionChecks(Diagnostics diagnostics, Secrets secrets, Path secretsFile, boolean secretsPresent) {
        this.diagnostics = diagnostics;
        this.secrets = secrets;
        this.secretsFile = secretsFile;
        this.secretsPresent = secretsPresent;
    }

    public void check(Connection c) {
        checkPeerAddress(c);
        checkSubnets(c);
        checkLifetime(c, "lifetime", c.lifetime());
        checkLifetime(c, "ikelifetime", c.ikeLifetime());
        checkAuto(c);
        checkPsk(c);
        checkIkev1(c);
    }

    /**
     * IKEv1 needs a phase-1 cipher it has (no AEAD there); aggressive mode is allowed, as in strongSwan only by an
     * explicit aggressive=yes, with a warning why it is weak.
     */
    private void checkIkev1(Connection c) {
        if (c.aggressive()) {
            warning(c, "aggressive", "IKEv1 aggressive mode sends a hash of the pre-shared key in the clear: whoever"
                    + " captures it can try keys offline; use main mode or IKEv2 where the peer allows");
        }
        if (c.ikeVersion() != 1) {
            return;
        }
        boolean usable = c.ike().stream().anyMatch(p -> p.encryption().stream().anyMatch(a -> !a.aead())
                && !p.integrity().isEmpty());
        if (!usable) {
            error(c, "ike", "IKEv1 phase 1 has no AEAD ciphers: give a CBC cipher and a hash, e.g. aes128-sha256-modp3072");
        }
    }

    private void checkPeerAddress(Connection c) {
        c.right().address().ifPresent(address -> {
            String text = IpLiteral.format(address);
            PeerAddressRule.whyNotAPeer(address).ifPresent(why ->
                    error(c, "right", "remote gateway " + text + " " + why + " (allowed: a unicast address, a host name, %any)"));
            PeerAddressRule.classfulWarning(address).ifPresent(why ->
                    warning(c, "right", "remote gateway " + text + " " + why));
        });
    }

    private void checkSubnets(Connection c) {
        for (Subnet local : c.left().subnets()) {
            for (Subnet remote : c.right().subnets()) {
                if (local.overlaps(remote)) {
                    error(c, "rightsubnet", remote + " overlaps leftsubnet " + local
                            + " (local and remote subnets must not overlap)");
                }
            }
        }
        warnOverlapWithin(c, "leftsubnet", c.left().subnets());
        warnOverlapWithin(c, "rightsubnet", c.right().subnets());
    }

    private void warnOverlapWithin(Connection c, String key, List<Subnet> subnets) {
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                if (subnets.get(i).overlaps(subnets.get(j))) {
                    warning(c, key, subnets.get(i) + " and " + subnets.get(j)
                            + " overlap; cloud consoles reject overlapping ranges in one policy");
                }
            }
        }
    }

    private void checkLifetime(Connection c, String key, Duration lifetime) {
        if (lifetime.compareTo(c.margin()) <= 0) {
            error(c, key, format(lifetime) + " must be longer than margintime " + format(c.margin())
                    + ", or rekeying would start before the SA is up");
        }
    }

    private void checkAuto(Connection c) {
        boolean initiates = c.auto() == AutoAction.START || c.auto() == AutoAction.ROUTE;
        if (initiates && (c.right().anyAddress() || c.right().defaultRoute())) {
            error(c, "auto", "auto=" + c.auto().keyword() + " must initiate, but right=" + c.right().host()
                    + " gives no peer address (set right, or use auto=add to only respond)");
        }
    }

    private void checkPsk(Connection c) {
        if (!c.pskConfigured()) {
            return;
        }
        if (secrets.lookup(c.left().id(), c.right().id()).isPresent()) {
            return;
        }
        String key = c.isSet("authby") ? "authby" : "leftauth";
        String ids = c.left().id() + " " + c.right().id();
        if (!secretsPresent) {
            error(c, key, "PSK authentication needs a secret, but there is no secrets file"
                    + (secretsFile == null ? "" : " at " + secretsFile) + " (add a line: " + ids + " : PSK \"...\")");
        } else {
            error(c, key, "no PSK in " + secretsFile + " matches leftid " + c.left().id() + " and rightid " + c.right().id()
                    + " (add a line: " + ids + " : PSK \"...\")");
        }
    }

    private void error(Connection c, String key, String message) {
        SourceLocation at = c.origin(key);
        diagnostics.error(at.file(), at.line(), key, message);
    }

    private void warning(Connection c, String key, String message) {
        SourceLocation at = c.origin(key);
        diagnostics.warning(at.file(), at.line(), key, message);
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
