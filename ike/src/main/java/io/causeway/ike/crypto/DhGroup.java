package io.causeway.ike.crypto;

import java.util.Optional;

/** A Diffie-Hellman group by its IANA transform type 4 id (RFC 7296 section 3.3.2). */
public sealed interface DhGroup permits ModpGroup, EcpGroup, Curve25519Group {

    int id();

    /** Length of the public value in a KE payload, and of the shared secret. */
    int publicValueLength();

    /** A new ephemeral key pair whose private part comes from {@code random}. */
    DhKeyPair generate(RandomSource random);

    /** The group with this id, if Causeway implements it. */
    static Optional<DhGroup> lookup(int id) {
        return switch (id) {
            case 1, 2, 5, 14, 15, 16, 17, 18, 24 -> Optional.of(ModpGroup.forId(id));
            case 19, 20, 21 -> Optional.of(EcpGroup.forId(id));
            case 31 -> Optional.of(Curve25519Group.INSTANCE);
            default -> Optional.empty();
        };
    }

    /** The group with this id; throws IllegalArgumentException for an unsupported id. */
    static DhGroup forId(int id) {
        return lookup(id).orElseThrow(() -> new IllegalArgumentException("unsupported DH group " + id));
    }
}
