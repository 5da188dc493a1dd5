package io.causeway.daemon;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** charon's log lines for the exchanges it received from Causeway, counted in the IKEv2 tests against strongSwan. */
final class CharonLog {
    /** A CHILD_SA rekey without PFS (RFC 7296 1.3.3), as charon logs the request it parsed. */
    static final Pattern CHILD_REKEY =
            Pattern.compile("parsed CREATE_CHILD_SA request \\d+ \\[ N\\(REKEY_SA\\) SA No TSi TSr \\]");
    /** A CHILD_SA rekey with a KE payload (PFS). */
    static final Pattern CHILD_REKEY_WITH_KE =
            Pattern.compile("parsed CREATE_CHILD_SA request \\d+ \\[ N\\(REKEY_SA\\) SA No KE TSi TSr \\]");
    /** An IKE SA rekey (RFC 7296 1.3.2). */
    static final Pattern IKE_REKEY = Pattern.compile("parsed CREATE_CHILD_SA request \\d+ \\[ SA No KE \\]");
    /** An empty INFORMATIONAL request: a liveness check (RFC 7296 1.4), our DPD. */
    static final Pattern DPD = Pattern.compile("parsed INFORMATIONAL request \\d+ \\[ \\]");

    private CharonLog() {}

    static int count(Pattern pattern, String log) {
        int n = 0;
        Matcher m = pattern.matcher(log);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
