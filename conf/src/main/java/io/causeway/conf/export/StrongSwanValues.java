package io.causeway.conf.export;

import java.time.Duration;

/** Values written the way strongSwan's config files spell them. */
final class StrongSwanValues {
    private StrongSwanValues() {
    }

    /** The largest whole unit: 3h, 9m, 45s (both ipsec.conf and swanctl.conf read these suffixes). */
    static String time(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** strongSwan's jitter: margin times rekeyfuzz percent, in whole units as its stroke plugin computes it. */
    static long fuzz(long margin, int fuzzPercent) {
        return margin * fuzzPercent / 100;
    }
}
