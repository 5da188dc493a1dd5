package io.causeway.conf.secrets;

import io.causeway.conf.net.Identity;
import java.nio.file.Path;
import java.util.List;

/** One PSK line of ipsec.secrets: the identities it is for (empty = anyone) and where it was written. */
public record SecretEntry(List<Identity> selectors, Psk psk, Path file, int line) {
    public SecretEntry {
        selectors = List.copyOf(selectors);
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + selectors + " : PSK [redacted]";
    }
}
