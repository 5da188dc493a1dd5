package io.causeway.ike.sa;

import io.causeway.conf.net.Identity;
import io.causeway.conf.secrets.Psk;
import io.causeway.conf.secrets.Secrets;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's secrets, replaced whole when the daemon reloads ipsec.secrets: every negotiation looks the PSK up
 * when it needs it, so a new negotiation uses the new secrets while established SAs keep the keys they derived.
 */
final class CurrentSecrets {
    private Secrets secrets;

    CurrentSecrets(Secrets secrets) {
        replace(secrets);
    }

    void replace(Secrets secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    Optional<Psk> lookup(Identity local, Identity remote) {
        return secrets.lookup(local, remote);
    }

    @Override
    public String toString() {
        return "CurrentSecrets"; // never the keys
    }
}
