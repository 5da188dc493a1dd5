package io.causeway.conf.export;

import java.util.Arrays;
import java.util.Optional;

/** The file formats `causeway export` writes for the peer: strongSwan's legacy ipsec.conf or swanctl.conf. */
public enum ExportFormat {
    IPSEC_CONF("ipsec.conf"),
    SWANCTL("swanctl");

    private final String keyword;

    ExportFormat(String keyword) {
        this.keyword = keyword;
    }

    /** The name on the command line (--format). */
    public String keyword() {
        return keyword;
    }

    public static Optional<ExportFormat> named(String keyword) {
        return Arrays.stream(values()).filter(f -> f.keyword.equals(keyword)).findFirst();
    }
}
