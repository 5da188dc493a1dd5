package io.causeway.conf.secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * Pre-shared keys that strongSwan accepts but cloud VPN consoles such as SCloudStack's refuse
 * (no '?', no spaces, at most 128 characters). The other side of the tunnel then cannot be given
 * the same key, so we warn. Messages describe the key, never quote it.
 */
final class PskAdvice {
    static final int CONSOLE_MAX_LENGTH = 128;

    private PskAdvice() {
    }

    static List<String> adviceFor(String secretText) {
        List<String> advice = new ArrayList<>();
        String why = "; cloud VPN consoles (e.g. SCloudStack) refuse such keys, so the cloud side could not use the same one";
        if (secretText.indexOf('?') >= 0) {
            advice.add("PSK contains '?'" + why);
        }
        if (secretText.chars().anyMatch(Character::isWhitespace)) {
            advice.add("PSK contains spaces" + why);
        }
        if (secretText.length() > CONSOLE_MAX_LENGTH) {
            advice.add("PSK is " + secretText.length() + " characters long, more than " + CONSOLE_MAX_LENGTH + why);
        }
        return advice;
    }
}
