package io.causeway.conf.connection;

import io.causeway.conf.net.Identity;
import io.causeway.conf.net.Subnet;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** One side of a connection: its gateway address, the subnets behind it, its identity and how it authenticates. */
public final class Endpoint {
    private final String host;
    private final InetAddress address;
    private final List<Subnet> subnets;
    private final boolean subnetsConfigured;
    private final Identity id;
    private final AuthMethod auth;
    private final String updown;

    Endpoint(String host, InetAddress address, List<Subnet> subnets, boolean subnetsConfigured, Identity id,
             AuthMethod auth, String updown) {
        this.host = host;
        this.address = address;
        this.subnets = List.copyOf(subnets);
        this.subnetsConfigured = subnetsConfigured;
        this.id = id;
        this.auth = auth;
        this.updown = updown;
    }

    /** left=/right= as written: an address, a host name, %any or %defaultroute. */
    public String host() {
        return host;
    }

    /** The address when host is an IP literal; host names are resolved by the daemon, not here. */
    public Optional<InetAddress> address() {
        return Optional.ofNullable(address);
    }

    /** %any (or %any4/%any6): any address, which only works for the responding side. */
    public boolean anyAddress() {
        return host.startsWith("%any");
    }

    /** %defaultroute: the address of the interface holding the default route, found at run time. */
    public boolean defaultRoute() {
        return host.equals("%defaultroute");
    }

    /** A DNS name to resolve at run time. */
    public Optional<String> hostname() {
        return address == null && !host.startsWith("%") ? Optional.of(host) : Optional.empty();
    }

    /**
     * The traffic selectors: leftsubnet/rightsubnet, or the gateway address itself (host-to-host)
     * when none are configured; empty when neither is known before run time.
     */
    public List<Subnet> subnets() {
        return subnets;
    }

    /** Whether subnets() came from a leftsubnet/rightsubnet setting rather than the address. */
    public boolean subnetsConfigured() {
        return subnetsConfigured;
    }

    /** leftid/rightid, defaulting to the address (or %any when the address is not a literal). */
    public Identity id() {
        return id;
    }

    public AuthMethod auth() {
        return auth;
    }

    public Optional<String> updown() {
        return Optional.ofNullable(updown);
    }

    /** Subnets as written in a summary: comma-separated CIDRs, or %dynamic. */
    public String subnetsText() {
        if (subnets.isEmpty()) {
            return "%dynamic";
        }
        return String.join(",", subnets.stream().map(Subnet::toString).toList());
    }

    @Override
    public String toString() {
        return host + " " + subnetsText() + " id=" + id + " auth=" + auth.keyword();
    }
}
