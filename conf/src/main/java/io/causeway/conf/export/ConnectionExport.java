package io.causeway.conf.export;

import io.causeway.conf.Config;
import io.causeway.conf.connection.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * `causeway export`: connections of a loaded configuration written for the other gateway, like the file a cloud VPN
 * console offers for download (seed 004), with left and right already swapped. Connections that share one IKE SA
 * on our side ({@link PeerGroup}) are one swanctl connection with a child each; in ipsec.conf they stay one conn
 * each, since strongSwan's starter merges such conns by itself.
 */
public final class ConnectionExport {
    /** Between the ipsec.conf part and the ipsec.secrets part of an export in ipsec.conf format. */
    public static final String IPSEC_SECRETS_MARKER = IpsecConfExport.SECRETS_MARKER;

    private ConnectionExport() {
    }

    /**
     * The peer's configuration for connection {@code name}: in ipsec.conf format its conn alone, in swanctl format
     * the connection of its IKE SA with every connection of ours that shares it as a child. With withSecret the PSK
     * is included, and a connection without one is an error; without, a comment says where the key goes and where
     * ours is.
     */
    public static String export(Config config, String name, ExportFormat format, boolean withSecret)
            throws ExportException {
        Connection c = config.connection(name).orElseThrow(() -> new ExportException("no connection named " + name
                + " (connections: " + config.connections().stream().map(Connection::name)
                .collect(Collectors.joining(", ")) + ")"));
        PeerGroup group = PeerGroup.of(config, c);
        PeerSecret secret = secret(config, group, name, withSecret);
        return switch (format) {
            case IPSEC_CONF -> IpsecConfExport.write(group, new PeerView(c), secret, withSecret);
            case SWANCTL -> SwanctlExport.write(group, secret, withSecret);
        };
    }

    /**
     * The peer's configuration for every connection of ours: in ipsec.conf format one conn each, in swanctl format
     * one connection per IKE SA with its children; the secrets once per IKE SA at the end. An empty configuration
     * is an error, as is, with withSecret, an IKE SA without a key.
     */
    public static String exportAll(Config config, ExportFormat format, boolean withSecret) throws ExportException {
        List<PeerGroup> groups = PeerGroup.all(config);
        if (groups.isEmpty()) {
            throw new ExportException("the configuration has no connections to export");
        }
        List<PeerSecret> secrets = new ArrayList<>();
        for (PeerGroup g : groups) {
            secrets.add(secret(config, g, g.names(), withSecret));
        }
        return switch (format) {
            case IPSEC_CONF -> IpsecConfExport.writeAll(config.connections().stream().map(PeerView::new).toList(), groups,
                    secrets, withSecret);
            case SWANCTL -> SwanctlExport.writeAll(groups, secrets, withSecret);
        };
    }

    /** The group's key (the same for all members: ipsec.secrets is keyed by the ids, which they share), or null. */
    private static PeerSecret secret(Config config, PeerGroup group, String names, boolean withSecret)
            throws ExportException {
        PeerSecret secret = PeerSecret.of(config.secrets(), group.first()).orElse(null);
        if (withSecret && secret == null) {
            Connection c = group.first().ours();
            throw new ExportException("--with-secret: no PSK in the secrets file matches leftid " + c.left().id()
                    + " and rightid " + c.right().id() + " of " + names);
        }
        return secret;
    }
}
