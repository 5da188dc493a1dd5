package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several connections to one peer with the same IKE parameters share one IKE SA, one CHILD_SA each (RFC 7296 1.3.1),
 * as strongSwan runs several conns (or the children of one swanctl connection) under one peer config.
 */
class IkeSharedSaTest {
    /** Three subnet pairs to one peer, as pfSense's phase-2 entries or seed 003's SPD policies. */
    private static final String[][] PAIRS = {
        {"a", "10.1.0.0/24", "10.2.0.0/24"}, {"b", "10.1.5.0/24", "10.2.5.0/24"}, {"c", "10.1.6.0/24", "10.2.6.0/24"}};

    @TempDir
    Path dir;

    private static String west(String extra) {
        StringBuilder conf = new StringBuilder();
        for (String[] p : PAIRS) {
            conf.append(IkeSessionTest.westInitiating(p[0], "west.example", p[1], p[2])).append(extra);
        }
        return conf.toString();
    }

    private static String east(String extra) {
        StringBuilder conf = new StringBuilder();
        for (String[] p : PAIRS) {
            conf.append(IkeSessionTest.eastAnswering(p[0], p[2], "west.example", p[1])).append(extra);
        }
        return conf.toString();
    }

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    /** West initiates a, b and c at once, as the daemon does at start for auto=start. */
    private static void initiateAll(Lab lab, String... names) {
        for (String name : names) {
            lab.west.initiate(name, Lab.WEST, Lab.EAST, lab.now);
        }
        lab.deliverAll();
    }

    private static long sent(Lab.Recorder r, int exchange, boolean requests) {
        return r.sentLog.stream().map(IkeSessionTest::decode)
                .filter(m -> m.header().exchangeType() == exchange && m.header().response() != requests).count();
    }

    private static Map<String, ChildSaInstall> byConnection(List<ChildSaInstall> installed) {
        return installed.stream().collect(Collectors.toMap(ChildSaInstall::connection, Function.identity()));
    }

    private static IkeSession only(IkeEngine engine) {
        assertThat(engine.sessions()).hasSize(1);
        return engine.sessions().iterator().next();
    }

    @Test
    void threeConnectionsComeUpOverOneIkeSaWithOneChildSaEach() {
        Lab lab = lab(west(""), east(""));
        initiateAll(lab, "a", "b", "c");

        assertThat(sent(lab.westActions, ExchangeType.IKE_SA_INIT, true)).isEqualTo(1);
        assertThat(sent(lab.westActions, ExchangeType.IKE_AUTH, true)).isEqualTo(1);
        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA, true)).isEqualTo(2);
        IkeSession w = only(lab.west);
        IkeSession e = only(lab.east);
        assertThat(w.carriedConnections()).containsExactly("a", "b", "c");
        assertThat(e.carriedConnections()).containsExactlyInAnyOrder("a", "b", "c");
        Map<String, ChildSaInstall> west = byConnection(lab.westActions.installed());
        Map<String, ChildSaInstall> east = byConnection(lab.eastActions.installed());
        assertThat(west.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(east.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        for (String[] p : PAIRS) {
            // the responder gave each CHILD_SA to the connection whose subnets it proposed
            assertThat(east.get(p[0]).localSelectors()).hasToString("[" + p[2] + "]");
            assertThat(east.get(p[0]).remoteSelectors()).hasToString("[" + p[1] + "]");
            assertThat(west.get(p[0]).outboundSpi()).isEqualTo(east.get(p[0]).inboundSpi());
            assertThat(espRoundTrip(west.get(p[0]), east.get(p[0]))).isTrue();
            assertThat(lab.westActions.states).contains(p[0] + ":CONNECTED");
            assertThat(lab.eastActions.states).contains(p[0] + ":CONNECTED");
        }
    }

    @Test
    void downOfOneDeletesOnlyItsChildSaAndUpBringsItBackWithOneCreateChildSa() {
        Lab lab = lab(west(""), east(""));
        initiateAll(lab, "a", "b", "c");
        Map<String, ChildSaInstall> before = byConnection(lab.westActions.installed());

        lab.west.close("b", lab.now);
        lab.deliverAll();

        Map<String, ChildSaInstall> west = byConnection(lab.westActions.installed());
        assertThat(west.keySet()).containsExactlyInAnyOrder("a", "c");
        assertThat(west.get("a")).isEqualTo(before.get("a"));
        assertThat(west.get("c")).isEqualTo(before.get("c"));
        assertThat(byConnection(lab.eastActions.installed()).keySet()).containsExactlyInAnyOrder("a", "c");
        assertThat(lab.westActions.states).endsWith("b:DOWN");
        assertThat(lab.eastActions.states).endsWith("b:DOWN");
        assertThat(only(lab.west).carriedConnections()).containsExactly("a", "c");

        long creates = sent(lab.westActions, ExchangeType.CREATE_CHILD_SA, true);
        lab.west.initiate("b", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA, true)).isEqualTo(creates + 1);
        assertThat(sent(lab.westActions, ExchangeType.IKE_SA_INIT, true)).isEqualTo(1);
        Map<String, ChildSaInstall> after = byConnection(lab.westActions.installed());
        assertThat(after.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(after.get("a")).isEqualTo(before.get("a"));
        assertThat(after.get("c")).isEqualTo(before.get("c"));
        assertThat(after.get("b").inboundSpi()).isNotEqualTo(before.get("b").inboundSpi());
        assertThat(lab.westActions.states).endsWith("b:CONNECTED");
    }

    @Test
    void aSharedConnectionWhoseChildSaThePeerDeletedComesBackWithCloseactionRestart() {
        Lab lab = lab(west("    closeaction=restart\n"), east(""));
        initiateAll(lab, "a", "b", "c");
        Map<String, ChildSaInstall> before = byConnection(lab.westActions.installed());
        IkeSession w = only(lab.west);

        only(lab.east).deleteChild(lab.now); // east deletes its newest CHILD_SA, c's
        lab.deliverAll();

        Map<String, ChildSaInstall> after = byConnection(lab.westActions.installed());
        assertThat(after.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(after.get("a")).isEqualTo(before.get("a"));
        assertThat(after.get("b")).isEqualTo(before.get("b"));
        assertThat(after.get("c").inboundSpi()).isNotEqualTo(before.get("c").inboundSpi());
        assertThat(only(lab.west)).isSameAs(w);
        assertThat(lab.westActions.states).containsSubsequence("c:CONNECTING", "c:CONNECTED").doesNotContain("c:DOWN");
    }

    @Test
    void downAndUpOfTheConnectionThatNegotiatedTheIkeSaKeepsTheOthersOnIt() {
        Lab lab = lab(west(""), east(""));
        initiateAll(lab, "a", "b", "c");
        Map<String, ChildSaInstall> before = byConnection(lab.westActions.installed());
        IkeSession w = only(lab.west);

        lab.west.close("a", lab.now); // a negotiated the IKE SA; b and c still use it
        lab.deliverAll();
        assertThat(only(lab.west)).isSameAs(w);
        assertThat(byConnection(lab.westActions.installed()).keySet()).containsExactlyInAnyOrder("b", "c");

        lab.west.initiate("a", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(only(lab.west)).isSameAs(w);
        assertThat(sent(lab.westActions, ExchangeType.IKE_SA_INIT, true)).isEqualTo(1);
        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA, true)).isEqualTo(3);
        Map<String, ChildSaInstall> after = byConnection(lab.westActions.installed());
        assertThat(after.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(after.get("b")).isEqualTo(before.get("b"));
        assertThat(after.get("c")).isEqualTo(before.get("c"));
        assertThat(lab.westActions.states).endsWith("a:CONNECTED");
    }

    @Test
    void theIkeSaGoesWithItsLastConnection() {
        Lab lab = lab(west(""), east(""));
        initiateAll(lab, "a", "b", "c");

        lab.west.close("a", lab.now);
        lab.deliverAll();
        lab.west.close("c", lab.now);
        lab.deliverAll();
        assertThat(only(lab.west).carriedConnections()).contains("b");
        assertThat(sent(lab.westActions, ExchangeType.INFORMATIONAL, true)).isEqualTo(2);

        lab.west.close("b", lab.now);
        lab.deliverAll();

        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.westActions.installed()).isEmpty();
        assertThat(lab.eastActions.installed()).isEmpty();
    }

    @Test
    void anIkeSaRekeyMovesEveryConnectionsChildSa() {
        Lab lab = lab(west("    ikelifetime=30m\n    margintime=3m\n    rekeyfuzz=0%\n"),
                east("    ikelifetime=40m\n"));
        initiateAll(lab, "a", "b", "c");
        IkeSession old = only(lab.west);
        Map<String, ChildSaInstall> before = byConnection(lab.westActions.installed());

        lab.advance(28 * 60_000);

        IkeSession now = only(lab.west);
        assertThat(now).isNotSameAs(old);
        assertThat(now.carriedConnections()).containsExactly("a", "b", "c");
        assertThat(only(lab.east).carriedConnections()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(byConnection(lab.westActions.installed())).isEqualTo(before);
        assertThat(lab.westActions.states).noneMatch(s -> s.endsWith(":DOWN"));
    }

    @Test
    void selectorsThatFitNoConnectionOfTheResponderAreRefusedAndTheOthersStay() {
        String stranger = IkeSessionTest.westInitiating("d", "west.example", "10.1.9.0/24", "10.2.9.0/24");
        Lab lab = lab(west("") + stranger, east(""));
        initiateAll(lab, "a", "d");

        assertThat(only(lab.west).carriedConnections()).containsExactly("a");
        assertThat(lab.westActions.states).contains("a:CONNECTED").endsWith("d:PHASE2_FAILED");
        assertThat(lab.westActions.lastError).contains("TS_UNACCEPTABLE");
        assertThat(byConnection(lab.westActions.installed()).keySet()).containsExactly("a");
    }

    @Test
    void aDeadPeerTakesEveryConnectionDown() {
        Lab lab = lab(west("    dpdaction=clear\n    dpddelay=30s\n"), east(""));
        initiateAll(lab, "a", "b", "c");
        lab.drop = d -> true; // east is gone

        lab.advance(10 * 60_000);

        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.westActions.installed()).isEmpty();
        assertThat(lab.westActions.states).contains("a:DOWN", "b:DOWN", "c:DOWN");
    }
}
