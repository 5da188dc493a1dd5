package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uniqueids (config setup) on the responder, as strongSwan applies it when IKE_AUTH completes: a second IKE SA of the same identities and
 * connection, arriving without INITIAL_CONTACT (west initiates again while the first SA lives), or with it (west
 * restarted).
 */
class IkeUniqueIdsTest {
    @TempDir
    Path dir;

    private Lab lab(UniqueIds eastPolicy) {
        Lab lab = new Lab(dir, west(""), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS);
        lab.east.setUniqueIds(eastPolicy);
        return lab;
    }

    /** West brings the connection up, then initiates it a second time next to the first IKE SA. */
    private static IkeSession twice(Lab lab) {
        lab.initiate();
        IkeSession second = lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();
        return second;
    }

    @Test
    void yesReplacesTheOlderIkeSaWithADeleteAndKeepsTheTunnelConnected() {
        Lab lab = lab(UniqueIds.YES);
        IkeSession first = lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();
        IkeSession second = lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(lab.east.sessions()).singleElement()
                .satisfies(s -> assertThat(s.initiatorSpi()).isEqualTo(second.initiatorSpi()));
        assertThat(first.closed()).isTrue();
        assertThat(lab.west.sessions()).containsExactly(second);
        // the old IKE SA went with a DELETE, and its CHILD_SA with it on both sides
        assertThat(lab.westActions.installed()).singleElement()
                .satisfies(c -> assertThat(c).isEqualTo(second.child().orElseThrow()));
        assertThat(lab.eastActions.installed()).hasSize(1);
        // neither side reported the connection DOWN: the newer SA speaks for it
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED", "net:CONNECTED");
        assertThat(lab.westActions.states).noneMatch(s -> s.endsWith(":DOWN"));
        assertThat(second.state()).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void noKeepsBothIkeSas() {
        Lab lab = lab(UniqueIds.NO);
        twice(lab);

        assertThat(lab.east.sessions()).hasSize(2).allMatch(s -> s.state() == TunnelState.CONNECTED);
        assertThat(lab.eastActions.installed()).hasSize(2);
    }

    @Test
    void keepRefusesTheNewIkeSaAndKeepsTheOld() {
        Lab lab = lab(UniqueIds.KEEP);
        lab.initiate();
        IkeSession old = lab.east.sessions().iterator().next();
        IkeSession second = lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(lab.east.sessions()).containsExactly(old);
        assertThat(old.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(second.closed()).isTrue();
        assertThat(second.lastError()).hasValueSatisfying(e -> assertThat(e).contains("AUTHENTICATION_FAILED"));
        assertThat(lab.eastActions.installed()).hasSize(1);
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
    }

    @Test
    void neverIgnoresInitialContactOfARestartedPeer() {
        Lab lab = lab(UniqueIds.NEVER);
        lab.initiate();
        lab.restartWest();
        lab.initiate();

        assertThat(lab.east.sessions()).hasSize(2);
        assertThat(lab.eastActions.removals).isEmpty();
    }

    @Test
    void noStillHonoursInitialContact() {
        Lab lab = lab(UniqueIds.NO);
        lab.initiate();
        lab.restartWest();
        IkeSession fresh = lab.initiate();

        assertThat(lab.east.sessions()).singleElement()
                .satisfies(s -> assertThat(s.initiatorSpi()).isEqualTo(fresh.initiatorSpi()));
    }

    @Test
    void connectionsSharingIdsButNotSubnetsNeverReplaceEachOther() {
        // west gives each subnet pair its own IKE SA (other IKE lifetimes: not one IKE group there), east holds
        // both conns in one group: with uniqueids=yes both IKE SAs stay
        String westConf = IkeSessionTest.westInitiating("a", "west.example", "10.1.0.0/24", "10.2.0.0/24")
                + IkeSessionTest.westInitiating("b", "west.example", "10.1.5.0/24", "10.2.5.0/24")
                + "    ikelifetime=2h\n";
        String eastConf = IkeSessionTest.eastAnswering("a", "10.2.0.0/24", "west.example", "10.1.0.0/24")
                + IkeSessionTest.eastAnswering("b", "10.2.5.0/24", "west.example", "10.1.5.0/24");
        Lab lab = new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
        lab.west.initiate("a", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();
        lab.west.initiate("b", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(lab.west.sessions()).hasSize(2);
        assertThat(lab.east.sessions()).hasSize(2).allMatch(s -> s.state() == TunnelState.CONNECTED);
        assertThat(lab.eastActions.installed()).extracting(ChildSaInstall::connection).containsExactlyInAnyOrder("a", "b");
    }
}
