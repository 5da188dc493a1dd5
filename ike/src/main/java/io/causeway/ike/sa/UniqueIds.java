package io.causeway.ike.sa;

import java.util.Locale;

/**
 * ipsec.conf's {@code uniqueids} (config setup), with strongSwan's meanings: whether a new IKE SA between the same
 * two identities replaces the one already there, decided by the responder when IKE_AUTH completes. YES and REPLACE replace it (the old IKE SA is deleted); KEEP keeps
 * the old one and refuses the new one; NO keeps both unless the peer sent INITIAL_CONTACT; NEVER keeps both and
 * ignores INITIAL_CONTACT too. A duplicate is an established IKE SA of the same {@link io.causeway.conf.connection.IkeGroup}
 * that carries one of the new SA's connections: connections that merely share ids and proposals (several conns to
 * one peer) never replace each other, also when the peer gives each its own IKE SA.
 */
public enum UniqueIds {
    YES, NO, NEVER, REPLACE, KEEP;

    /** The value of a uniqueids setting (the conf module has checked it); unknown values are YES, the default. */
    public static UniqueIds of(String setting) {
        try {
            return valueOf(setting.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return YES;
        }
    }

    boolean replaces() {
        return this == YES || this == REPLACE;
    }

    boolean honoursInitialContact() {
        return this != NEVER;
    }
}
