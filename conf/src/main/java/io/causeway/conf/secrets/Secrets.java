package io.causeway.conf.secrets;

import io.causeway.conf.net.Identity;
import java.util.List;
import java.util.Optional;

/**
 * The PSKs of ipsec.secrets, looked up the way strongSwan ranks them: each side scores a perfect
 * match far above a wildcard, an entry without identities matches both sides as a wildcard, and an
 * entry naming identities must match at least one side. The highest total wins; ties go to the first entry.
 */
public final class Secrets {
    static final int PERFECT = 20;
    static final int WILDCARD = 1;
    static final int NONE = 0;

    private final List<SecretEntry> entries;

    public Secrets(List<SecretEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Secrets empty() {
        return new Secrets(List.of());
    }

    public List<SecretEntry> entries() {
        return entries;
    }

    public Optional<Psk> lookup(Identity local, Identity remote) {
        return bestEntry(local, remote).map(SecretEntry::psk);
    }

    public Optional<SecretEntry> bestEntry(Identity local, Identity remote) {
        SecretEntry best = null;
        int bestScore = -1;
        for (SecretEntry entry : entries) {
            int mine = score(entry, local);
            int theirs = score(entry, remote);
            if (mine == NONE && theirs == NONE) {
                continue;
            }
            if (mine + theirs > bestScore) {
                best = entry;
                bestScore = mine + theirs;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int score(SecretEntry entry, Identity id) {
        if (entry.selectors().isEmpty()) {
            return WILDCARD;
        }
        int best = NONE;
        for (Identity selector : entry.selectors()) {
            int s = selector.sameAs(id) ? PERFECT : selector.isAny() || id.isAny() ? WILDCARD : NONE;
            best = Math.max(best, s);
        }
        return best;
    }

    @Override
    public String toString() {
        return "Secrets[" + entries.size() + " PSK entries]";
    }
}
