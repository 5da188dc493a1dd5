package io.causeway.conf.export;

import io.causeway.conf.net.Identity;
import io.causeway.conf.secrets.SecretEntry;
import io.causeway.conf.secrets.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The pre-shared key of a connection as the peer's files spell it. The key text exists only inside
 * {@link #value()}, which the writers call only when the user asked for the secret.
 */
final class PeerSecret {
    private final SecretEntry entry;

    private PeerSecret(SecretEntry entry) {
        this.entry = entry;
    }

    /** The entry of our ipsec.secrets that our side of the connection uses (strongSwan's ranking). */
    static Optional<PeerSecret> of(Secrets secrets, PeerView view) {
        var ours = view.ours();
        return secrets.bestEntry(ours.left().id(), ours.right().id()).map(PeerSecret::new);
    }

    /** Where the key is written on our side, for the comment that stands in for it: file:line, never the key. */
    String location() {
        return entry.file() + ":" + entry.line();
    }

    /**
     * The identities the peer's secret applies to, its own first as strongSwan users write them. A side that
     * accepts any identity adds nothing: the line then matches it as a wildcard.
     */
    static List<Identity> selectors(PeerView view) {
        List<Identity> ids = new ArrayList<>();
        view.peerId().ifPresent(ids::add);
        view.ourId().ifPresent(ids::add);
        return ids;
    }

    /**
     * The key as a quoted string when its bytes are plain printable ASCII without quote, backslash or '#' (which
     * no parser could misread), else as 0x hex, which ipsec.secrets and swanctl.conf both accept.
     */
    String value() {
        byte[] bytes = entry.psk().bytes();
        try {
            for (byte b : bytes) {
                if (b < 0x20 || b > 0x7e || b == '"' || b == '\\' || b == '#') {
                    return "0x" + HexFormat.of().formatHex(bytes);
                }
            }
            return '"' + new String(bytes, StandardCharsets.US_ASCII) + '"';
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
