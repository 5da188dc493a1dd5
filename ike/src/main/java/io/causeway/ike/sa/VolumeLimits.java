package io.causeway.ike.sa;

import io.causeway.esp.SaConfig;

/**
 * The byte and packet lifetimes of an installed CHILD_SA (ipsec.conf lifebytes, lifepackets and their margins), for
 * the data plane to count each of its two SAs against: soft is where the engine rekeys (life - margin, lowered by up
 * to rekeyfuzz% of the margin; none with rekey=no), hard where the SA stops and the engine deletes it (life).
 * {@link SaConfig#UNLIMITED} means no limit. The data plane reports a crossing through
 * {@link IkeEngine#volumeLimitReached}, so the engine never polls counters.
 */
public record VolumeLimits(long softBytes, long hardBytes, long softPackets, long hardPackets) {
    public static final VolumeLimits NONE = new VolumeLimits(SaConfig.UNLIMITED, SaConfig.UNLIMITED,
            SaConfig.UNLIMITED, SaConfig.UNLIMITED);

    public VolumeLimits {
        if (softBytes <= 0 || hardBytes <= 0 || softPackets <= 0 || hardPackets <= 0) {
            throw new IllegalArgumentException("volume limits must be positive (UNLIMITED for none)");
        }
    }

    /** A configured count (0 or less: none) as a limit. */
    static long limit(long configured) {
        return configured > 0 ? configured : SaConfig.UNLIMITED;
    }

    boolean unlimited() {
        return equals(NONE);
    }

    @Override
    public String toString() {
        return unlimited() ? "no volume limits" : "bytes " + text(softBytes) + "/" + text(hardBytes) + ", packets "
                + text(softPackets) + "/" + text(hardPackets);
    }

    private static String text(long limit) {
        return limit == SaConfig.UNLIMITED ? "-" : Long.toString(limit);
    }
}
