package io.causeway.ike.crypto;

import io.causeway.esp.SaKeys;

/**
 * The ESP keys of one CHILD_SA (RFC 7296 section 2.17), by direction of the traffic they protect.
 * {@link SaKeys} redacts its own toString.
 */
public record ChildSaKeys(SaKeys initiatorToResponder, SaKeys responderToInitiator) {

    /** Keys for the SA this side sends on. */
    public SaKeys outbound(boolean weAreInitiator) {
        return weAreInitiator ? initiatorToResponder : responderToInitiator;
    }

    /** Keys for the SA this side receives on. */
    public SaKeys inbound(boolean weAreInitiator) {
        return weAreInitiator ? responderToInitiator : initiatorToResponder;
    }
}
