package io.causeway.conf.export;

import io.causeway.conf.Config;
import io.causeway.conf.connection.Connection;
import java.util.stream.Collectors;

/**
 * `causeway export`: one connection of a loaded configuration written for the other gateway, like the file a
 * cloud VPN console offers for download (seed 004), with left and right already swapped.
 */
public final class ConnectionExport {
    /** Between the ipsec.conf part and the ipsec.secrets part of an export in ipsec.conf format. */
    public static final String IPSEC_SECRETS_MARKER = IpsecConfExport.SECRETS_MARKER;

    private ConnectionExport() {
    }

    /**
     * The peer's configuration for connection {@code name}. With withSecret the PSK is included, and a
     * connection without one is an error; without, a comment says where the key goes and where ours is.
     */
    public static String export(Config config, String name, ExportFormat format, boolean withSecret)
            throws ExportException {
        Connection c = config.connection(name).orElseThrow(() -> new ExportException("no connection named " + name
                + " (connections: " + config.connections().stream().map(Connection::name)
                .collect(Collectors.joining(", ")) + ")"));
        PeerView view = new PeerView(c);
        PeerSecret secret = PeerSecret.of(config.secrets(), view).orElse(null);
        if (withSecret && secret == null) {
            throw new ExportException("--with-secret: no PSK in the secrets file matches leftid " + c.left().id()
                    + " and rightid " + c.right().id() + " of " + name);
        }
        return switch (format) {
            case IPSEC_CONF -> IpsecConfExport.write(view, secret, withSecret);
            case SWANCTL -> SwanctlExport.write(view, secret, withSecret);
        };
    }
}
