package io.causeway.conf.connection;

import io.causeway.conf.Diagnostics;
import io.causeway.conf.SourceLocation;
import io.causeway.conf.net.Identity;
import io.causeway.conf.net.IpLiteral;
import io.causeway.conf.net.Subnet;
import io.causeway.conf.parse.Setting;
import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.InvalidProposalException;
import io.causeway.conf.proposal.Proposal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the resolved settings of one conn into a Connection, starting from strongSwan's defaults.
 * Every bad value becomes a Diagnostic at the line that set it; the default stays in its place so
 * later checks still see a complete connection.
 */
public final class ConnectionBuilder {
    static final String DEFAULT_IKE = "aes128-sha256-modp3072";
    static final String DEFAULT_ESP = "aes128-sha256";
    private static final Set<String> AUTH_NOT_IMPLEMENTED = Set.of(
            "pubkey", "rsasig", "ecdsasig", "xauthpsk", "xauthrsasig", "never", "null", "rsa", "ecdsa", "eap", "xauth");

    final String name;
    final SourceLocation location;
    final Map<String, SourceLocation> origins = new HashMap<>();
    private final Diagnostics diagnostics;

    int ikeVersion = 2;
    boolean acceptsAnyIkeVersion = true;
    boolean aggressive;
    List<Proposal> ike = Proposal.parseIke(DEFAULT_IKE);
    List<Proposal> esp = Proposal.parseEsp(DEFAULT_ESP);
    Duration ikeLifetime = Duration.ofHours(3);
    Duration lifetime = Duration.ofHours(1);
    Duration margin = Duration.ofMinutes(9);
    int rekeyFuzzPercent = 100;
    long lifeBytes;
    long lifePackets;
    long marginBytes;
    long marginPackets;
    boolean rekey = true;
    boolean reauth = true;
    int keyingTries = 3;
    DpdAction dpdAction = DpdAction.NONE;
    Duration dpdDelay = Duration.ofSeconds(30);
    Duration dpdTimeout = Duration.ofSeconds(150);
    AutoAction auto = AutoAction.IGNORE;
    ConnType type = ConnType.TUNNEL;
    boolean forceEncaps;
    Fragmentation fragmentation = Fragmentation.YES;
    boolean mobike = true;
    CloseAction closeAction = CloseAction.NONE;
    int replayWindow = 32;

    private final Side leftSide = new Side("left");
    private final Side rightSide = new Side("right");
    boolean pskConfigured;

    /** Per-side settings collected before the Endpoint can be built. */
    private static final class Side {
        final String prefix;
        String host = "%any";
        InetAddress address;
        List<Subnet> subnets;
        Identity id;
        String updown;

        Side(String prefix) {
            this.prefix = prefix;
        }
    }

    private ConnectionBuilder(String name, SourceLocation location, Diagnostics diagnostics) {
        this.name = name;
        this.location = location;
        this.diagnostics = diagnostics;
    }

    public static Connection build(String name, SourceLocation location, Map<String, Setting> settings,
                                   Diagnostics diagnostics) {
        ConnectionBuilder builder = new ConnectionBuilder(name, location, diagnostics);
        for (Setting setting : settings.values()) {
            if (!setting.isReset() && ConnKeys.status(setting.key()) == ConnKeys.Status.IMPLEMENTED) {
                builder.origins.put(setting.key(), setting.location());
                builder.apply(setting);
            }
        }
        return builder.finish();
    }

    private void apply(Setting s) {
        String v = s.value();
        switch (s.key()) {
            case "also" -> { /* resolved before building */ }
            case "left", "right" -> host(side(s.key()), s);
            case "leftsubnet", "rightsubnet" -> subnets(side(s.key()), s);
            case "leftid", "rightid" -> side(s.key()).id = parse(s, Identity::parse, side(s.key()).id);
            case "leftauth", "rightauth", "authby" -> authKeyword(s);
            case "leftupdown", "rightupdown" -> side(s.key()).updown = v;
            case "keyexchange" -> keyExchange(s);
            case "aggressive" -> aggressive = parse(s, ValueSyntax::yesNo, aggressive);
            case "ike" -> ike = proposals(s, Proposal::parseIke, ike);
            case "esp" -> esp = proposals(s, Proposal::parseEsp, esp);
            case "ikelifetime" -> ikeLifetime = parse(s, ValueSyntax::duration, ikeLifetime);
            case "lifetime", "keylife" -> lifetime = parse(s, ValueSyntax::duration, lifetime);
            case "margintime", "rekeymargin" -> margin = parse(s, ValueSyntax::duration, margin);
            case "lifebytes" -> lifeBytes = parse(s, ValueSyntax::count, lifeBytes);
            case "lifepackets" -> lifePackets = parse(s, ValueSyntax::count, lifePackets);
            case "marginbytes" -> marginBytes = parse(s, ValueSyntax::count, marginBytes);
            case "marginpackets" -> marginPackets = parse(s, ValueSyntax::count, marginPackets);
            case "rekeyfuzz" -> rekeyFuzzPercent = parse(s, ValueSyntax::percent, rekeyFuzzPercent);
            case "rekey" -> rekey = parse(s, ValueSyntax::yesNo, rekey);
            case "reauth" -> reauth = parse(s, ValueSyntax::yesNo, reauth);
            case "keyingtries" -> keyingTries = parse(s, ConnectionBuilder::keyingTries, keyingTries);
            case "dpdaction" -> dpdAction = keyword(s, DpdAction.class, dpdAction);
            case "dpddelay" -> dpdDelay = parse(s, ValueSyntax::duration, dpdDelay);
            case "dpdtimeout" -> dpdTimeout = parse(s, ValueSyntax::duration, dpdTimeout);
            case "auto" -> auto = keyword(s, AutoAction.class, auto);
            case "type" -> type = keyword(s, ConnType.class, type);
            case "forceencaps" -> forceEncaps = parse(s, ValueSyntax::yesNo, forceEncaps);
            case "fragmentation" -> fragmentation = keyword(s, Fragmentation.class, fragmentation);
            case "mobike" -> mobike = parse(s, ValueSyntax::yesNo, mobike);
            case "closeaction" -> closeAction = keyword(s, CloseAction.class, closeAction);
            case "replay_window" -> replayWindow = (int) Math.min(Integer.MAX_VALUE, parse(s, ValueSyntax::count, (long) replayWindow));
            default -> throw new IllegalStateException("implemented key without handler: " + s.key());
        }
    }

    private Side side(String key) {
        return key.startsWith("left") ? leftSide : rightSide;
    }

    private void host(Side side, Setting s) {
        String v = s.value();
        side.host = v;
        side.address = null;
        if (v.startsWith("%")) {
            if (!Set.of("%any", "%any4", "%any6", "%defaultroute").contains(v)) {
                error(s, "unknown value '" + v + "' (allowed: an IPv4/IPv6 address, a host name, %any, %defaultroute)");
            }
            return;
        }
        var literal = IpLiteral.parse(v);
        if (literal.isPresent()) {
            side.address = literal.get();
        } else if (!v.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?")
                || v.matches("[0-9.]+")) {
            error(s, "'" + v + "' is not an IP address or host name (allowed: an IPv4/IPv6 address, a host name, %any, %defaultroute)");
        }
    }

    private void subnets(Side side, Setting s) {
        List<Subnet> list = new ArrayList<>();
        boolean ok = true;
        for (String part : s.value().split(",")) {
            try {
                list.add(Subnet.parse(part.trim()));
            } catch (IllegalArgumentException e) {
                error(s, "bad CIDR " + e.getMessage());
                ok = false;
            }
        }
        if (ok) {
            side.subnets = list;
        }
    }

    /** Only PSK is implemented; anything else is reported, and the conn is not marked as using a PSK. */
    private void authKeyword(Setting s) {
        String v = s.value();
        if (v.equals("psk") || v.equals("secret")) {
            pskConfigured = true;
            return;
        }
        String base = v.contains("-") ? v.substring(0, v.indexOf('-')) : v;
        if (AUTH_NOT_IMPLEMENTED.contains(v) || AUTH_NOT_IMPLEMENTED.contains(base) || v.startsWith("eap")) {
            error(s, "'" + v + "' is not implemented (allowed: psk, secret)");
        } else {
            error(s, "unknown value '" + v + "' (allowed: psk, secret)");
        }
    }

    private void keyExchange(Setting s) {
        switch (s.value()) {
            case "ike" -> {
                ikeVersion = 2;
                acceptsAnyIkeVersion = true;
            }
            case "ikev1" -> {
                ikeVersion = 1;
                acceptsAnyIkeVersion = false;
            }
            case "ikev2" -> {
                ikeVersion = 2;
                acceptsAnyIkeVersion = false;
            }
            default -> error(s, "unknown value '" + s.value() + "' (allowed: ike, ikev1, ikev2)");
        }
    }

    private static int keyingTries(String v) {
        if (v.equals("%forever")) {
            return 0;
        }
        long n = ValueSyntax.count(v);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + v + "' is too large");
        }
        return (int) n;
    }

    private List<Proposal> proposals(Setting s, Function<String, List<Proposal>> parser, List<Proposal> fallback) {
        try {
            List<Proposal> parsed = parser.apply(s.value());
            warnWeak(s, parsed);
            return parsed;
        } catch (InvalidProposalException e) {
            e.problems().forEach(p -> error(s, p));
            return fallback;
        }
    }

    private void warnWeak(Setting s, List<Proposal> proposals) {
        Set<Algorithm> weak = new LinkedHashSet<>();
        for (Proposal p : proposals) {
            for (List<Algorithm> list : List.of(p.encryption(), p.integrity(), p.prf(), p.dhGroups())) {
                list.stream().filter(Algorithms::isWeak).forEach(weak::add);
            }
        }
        for (Algorithm a : weak) {
            diagnostics.warning(s.location().file(), s.location().line(), s.key(), a.name()
                    + " is weak and deprecated; use it only while the peer offers nothing stronger");
        }
    }

    private <T> T parse(Setting s, Function<String, T> parser, T fallback) {
        try {
            return parser.apply(s.value());
        } catch (IllegalArgumentException e) {
            error(s, e.getMessage());
            return fallback;
        }
    }

    private <E extends Enum<E>> E keyword(Setting s, Class<E> type, E fallback) {
        var parsed = Keywords.parse(type, s.value());
        if (parsed.isEmpty()) {
            error(s, "unknown value '" + s.value() + "' (allowed: " + Keywords.allowed(type) + ")");
            return fallback;
        }
        return parsed.get();
    }

    private void error(Setting s, String message) {
        diagnostics.error(s.location().file(), s.location().line(), s.key(), message);
    }

    private Connection finish() {
        checkAuthConfigured();
        return new Connection(this, endpoint(leftSide), endpoint(rightSide));
    }

    /** strongSwan's default is authby=pubkey, which Causeway does not implement: say so instead of guessing. */
    private void checkAuthConfigured() {
        for (Side side : List.of(leftSide, rightSide)) {
            boolean sideSet = origins.containsKey(side.prefix + "auth");
            if (!sideSet && !origins.containsKey("authby")) {
                diagnostics.error(location.file(), location.line(), "authby", "conn '" + name + "' sets no authentication;"
                        + " strongSwan's default (pubkey) is not implemented (allowed: authby=psk, authby=secret)");
                return;
            }
        }
    }

    private Endpoint endpoint(Side side) {
        boolean configured = side.subnets != null;
        List<Subnet> subnets = configured ? side.subnets
                : side.address != null ? List.of(Subnet.host(side.address)) : List.of();
        Identity id = side.id != null ? side.id : side.address != null ? Identity.of(side.address) : Identity.ANY;
        return new Endpoint(side.host, side.address, subnets, configured, id, AuthMethod.PSK, side.updown);
    }
}
