package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.IdType;
import io.causeway.conf.net.Identity;
import io.causeway.ike.TunnelState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the engine reports besides states, for the daemon's metrics and updown: the cause of each failure, the
 * exchanges completed in each role, the handshake time and the peer identity IKE_AUTH authenticated.
 */
class IkeEventsTest {
    private static final String SECRETS = IkeSessionTest.SECRETS;

    @TempDir
    Path dir;

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, SECRETS, eastConf, SECRETS);
    }

    @Test
    void wrongPskFailsWithAuthFailedOnBothSides() {
        Lab lab = new Lab(dir, IkeSessionTest.west("    keyingtries=1\n"), SECRETS, IkeSessionTest.east(""),
                "west.example east.example : PSK \"wrong\"\n");
        lab.initiate();

        assertThat(lab.westActions.failures).containsExactly("net:PHASE1_FAILED:AUTH_FAILED");
        assertThat(lab.westActions.lastError)
                .isEqualTo("peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids");
        assertThat(lab.eastActions.failures).containsExactly("net:PHASE1_FAILED:AUTH_FAILED");
        // the AUTHENTICATION_FAILED answer completes IKE_AUTH all the same; nothing connected, so no handshake time
        assertThat(lab.westActions.exchanges).containsExactly("IKE_SA_INIT:initiator", "IKE_AUTH:initiator");
        assertThat(lab.eastActions.exchanges).containsExactly("IKE_SA_INIT:responder", "IKE_AUTH:responder");
        assertThat(lab.westActions.handshakes).isEmpty();
        assertThat(lab.eastActions.handshakes).isEmpty();
    }

    @Test
    void onlyTheLastKeyingTryReportsItsFailureAndCause() {
        Lab lab = new Lab(dir, IkeSessionTest.west("    keyingtries=3\n"), SECRETS, IkeSessionTest.east(""),
                "west.example east.example : PSK \"wrong\"\n");
        lab.initiate();

        assertThat(lab.westActions.failures).containsExactly("net:PHASE1_FAILED:AUTH_FAILED");
        assertThat(lab.eastActions.failures).hasSize(3).containsOnly("net:PHASE1_FAILED:AUTH_FAILED");
        assertThat(lab.westActions.exchanges).hasSize(6);
    }

    @Test
    void ikeProposalMismatchFailsWithNoProposal() {
        Lab lab = lab(IkeSessionTest.west("    keyingtries=1\n").replace("ike=aes128-sha256-modp2048",
                "ike=aes256-sha512-modp2048"), IkeSessionTest.east(""));
        lab.initiate();

        assertThat(lab.westActions.failures).containsExactly("net:PHASE1_FAILED:NO_PROPOSAL");
        assertThat(lab.westActions.lastError).isEqualTo(
                "peer answered NO_PROPOSAL_CHOSEN to IKE_SA_INIT: we offered ike=aes256-sha512-modp2048");
        assertThat(lab.eastActions.failures).containsExactly("net:PHASE1_FAILED:NO_PROPOSAL");
        assertThat(lab.eastActions.lastError).endsWith("answered NO_PROPOSAL_CHOSEN");
        // the stateless error answer is an exchange completed in both roles
        assertThat(lab.westActions.exchanges).containsExactly("IKE_SA_INIT:initiator");
        assertThat(lab.eastActions.exchanges).containsExactly("IKE_SA_INIT:responder");
    }

    @Test
    void espProposalMismatchFailsTheChildWithNoProposal() {
        Lab lab = lab(IkeSessionTest.west("    keyingtries=1\n").replace("esp=aes128gcm16", "esp=aes256gcm16"),
                IkeSessionTest.east(""));
        lab.initiate();

        assertThat(lab.westActions.failures).containsExactly("net:PHASE2_FAILED:NO_PROPOSAL");
        assertThat(lab.westActions.lastError).startsWith("peer answered NO_PROPOSAL_CHOSEN for the CHILD_SA");
        assertThat(lab.eastActions.failures).containsExactly("net:PHASE2_FAILED:NO_PROPOSAL");
        assertThat(lab.eastActions.lastError).startsWith("peer's ESP proposals match none of ours");
        assertThat(lab.westActions.handshakes).isEmpty();
    }

    @Test
    void disjointSelectorsFailWithTsUnacceptableOnBothSides() {
        Lab lab = lab(IkeSessionTest.west("    keyingtries=1\n").replace("rightsubnet=10.2.0.0/24",
                "rightsubnet=10.9.0.0/24"), IkeSessionTest.east(""));
        lab.initiate();

        assertThat(lab.westActions.failures).containsExactly("net:PHASE2_FAILED:TS_UNACCEPTABLE");
        assertThat(lab.westActions.lastError).startsWith("peer answered TS_UNACCEPTABLE for the CHILD_SA");
        assertThat(lab.eastActions.failures).containsExactly("net:PHASE2_FAILED:TS_UNACCEPTABLE");
        assertThat(lab.eastActions.lastError).endsWith("answered TS_UNACCEPTABLE");
    }

    @Test
    void aRefusedNewChildSaOnTheIkeSaFailsWithItsCause() {
        // IKE_AUTH ignores the DH group (1.2); the CREATE_CHILD_SA after the hard expiry carries it and is refused
        Lab lab = lab(IkeSessionTest.west(IkeNewChildSaTest.EXPIRES).replace("esp=aes128gcm16", "esp=aes128gcm16-modp2048"),
                IkeSessionTest.east(""));
        lab.initiate();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        lab.advance(20 * 60_000);

        assertThat(lab.westActions.lastError).isEqualTo(
                "peer answered NO_PROPOSAL_CHOSEN to our CREATE_CHILD_SA for a new CHILD_SA");
        assertThat(lab.westActions.failures).containsExactly("net:PHASE2_FAILED:NO_PROPOSAL");
        assertThat(lab.westActions.exchanges).containsExactly("IKE_SA_INIT:initiator", "IKE_AUTH:initiator",
                "INFORMATIONAL:initiator", "CREATE_CHILD_SA:initiator");
        assertThat(lab.eastActions.exchanges).containsExactly("IKE_SA_INIT:responder", "IKE_AUTH:responder",
                "INFORMATIONAL:responder", "CREATE_CHILD_SA:responder");
        assertThat(lab.westActions.handshakes).hasSize(1);
    }

    @Test
    void noAnswerFailsWithTimeoutAndCompletesNoExchange() {
        Lab lab = lab(IkeSessionTest.west("    keyingtries=1\n"), IkeSessionTest.east(""));
        lab.drop = d -> true;
        lab.initiate();
        lab.advance(166_000);

        assertThat(lab.westActions.failures).containsExactly("net:PHASE1_FAILED:TIMEOUT");
        assertThat(lab.westActions.lastError).isEqualTo("no answer from 192.0.2.2 after 5 retransmissions");
        assertThat(lab.westActions.exchanges).isEmpty();
    }

    @Test
    void aHandshakeIsTimedFromTheFirstIkeSaInitAndExchangesCountOnce() {
        Lab lab = lab(IkeSessionTest.west(""), IkeSessionTest.east(""));
        int[] seen = {0};
        lab.drop = d -> d.local().equals(Lab.EAST) && seen[0]++ == 0; // east's IKE_SA_INIT answer is lost once
        lab.initiate();
        lab.advance(4_000);

        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.handshakes).containsExactly("net:4000");
        assertThat(lab.eastActions.handshakes).containsExactly("net:4000");
        // the retransmitted IKE_SA_INIT was answered again from the cache: no second exchange
        assertThat(lab.westActions.exchanges).containsExactly("IKE_SA_INIT:initiator", "IKE_AUTH:initiator");
        assertThat(lab.eastActions.exchanges).containsExactly("IKE_SA_INIT:responder", "IKE_AUTH:responder");
        assertThat(lab.westActions.failures).isEmpty();
        assertThat(lab.westActions.failureCause).isNull();
    }

    @Test
    void laterExchangesAreCountedByRoleAndAddNoHandshake() {
        Lab lab = lab(IkeSessionTest.west(""), IkeSessionTest.east(""));
        IkeSession west = lab.initiate();
        IkeDatagram authRequest = lab.toEast.get(1);
        lab.east.receive(authRequest, lab.now); // a retransmission, answered from the cache
        lab.deliverAll();

        west.deleteChild(lab.now);
        lab.deliverAll();

        assertThat(lab.westActions.exchanges)
                .containsExactly("IKE_SA_INIT:initiator", "IKE_AUTH:initiator", "INFORMATIONAL:initiator");
        assertThat(lab.eastActions.exchanges)
                .containsExactly("IKE_SA_INIT:responder", "IKE_AUTH:responder", "INFORMATIONAL:responder");
        assertThat(lab.westActions.handshakes).hasSize(1);
        assertThat(lab.eastActions.handshakes).hasSize(1);
    }

    @Test
    void theChildSaCarriesThePeerIdentityIkeAuthAuthenticated() {
        Lab lab = lab(IkeSessionTest.west(""), IkeSessionTest.eastAnswering("net", "10.2.0.0/24", "%any", "10.1.0.0/24"));
        lab.initiate();

        assertThat(lab.eastActions.installs).singleElement().satisfies(c ->
                assertThat(c.peerId()).isEqualTo(new Identity(IdType.FQDN, "west.example")));
        assertThat(lab.westActions.installs).singleElement().satisfies(c ->
                assertThat(c.peerId()).isEqualTo(new Identity(IdType.FQDN, "east.example")));
    }
}
