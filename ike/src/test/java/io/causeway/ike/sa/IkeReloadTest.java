package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.SECRETS;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.LoadResult;
import io.causeway.ike.TunnelState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reloaded configuration replaces the engine's connections and secrets at run time; established SAs stay. */
class IkeReloadTest {
    private static final String WRONG_SECRETS = "west.example east.example : PSK \"not the right one\"\n";

    @TempDir
    Path dir;

    private void reload(IkeEngine engine, String name, String conf, String secrets, long now) {
        LoadResult r = Lab.load(dir.resolve(name), conf, secrets);
        engine.replaceConnections(r.config().activeConnections(), r.config().secrets(), now);
    }

    @Test
    void anUnchangedReloadLeavesTheEstablishedSaAlone() {
        Lab lab = new Lab(dir, west(""), SECRETS, east(""), SECRETS);
        IkeSession w = lab.initiate();
        ChildSaInstall child = lab.westActions.installs.get(0);
        int sentBefore = lab.westActions.sentLog.size();

        reload(lab.west, "west-reload", west(""), SECRETS, lab.now);
        reload(lab.east, "east-reload", east(""), SECRETS, lab.now);
        lab.deliverAll();

        assertThat(lab.westActions.sentLog).hasSize(sentBefore);
        assertThat(lab.westActions.removals).isEmpty();
        assertThat(lab.eastActions.removals).isEmpty();
        assertThat(lab.westActions.installed()).containsExactly(child);
        assertThat(w.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.west.sessions()).containsExactly(w);
    }

    @Test
    void anAddedConnectionCanBeInitiatedAfterTheReload() {
        Lab lab = new Lab(dir, west(""), SECRETS, east(""), SECRETS);
        String added = west("").replace("conn net", "conn net2").replace("10.1.0.0/24", "10.3.0.0/24");
        String eastAdded = east("").replace("conn net", "conn net2").replace("10.1.0.0/24", "10.3.0.0/24");
        reload(lab.west, "west-reload", west("") + added, SECRETS, lab.now);
        reload(lab.east, "east-reload", eastAdded, SECRETS, lab.now); // east picks the first conn matching the ids

        lab.west.initiate("net2", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(lab.westActions.states).containsExactly("net2:CONNECTING", "net2:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net2:CONNECTED");
        assertThat(lab.westActions.installs.get(0).remoteSelectors().toString()).contains("10.2.0.0/24");
        assertThat(lab.westActions.installs.get(0).localSelectors().toString()).contains("10.3.0.0/24");
    }

    @Test
    void newNegotiationsUseTheReloadedSecrets() {
        Lab lab = new Lab(dir, west("    keyingtries=1\n"), SECRETS, east(""), WRONG_SECRETS);
        lab.initiate();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE1_FAILED);

        reload(lab.east, "east-reload", east(""), SECRETS, lab.now);
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void aRemovedConnectionLosesItsPendingKeyingRetry() {
        Lab lab = new Lab(dir, west("    keyingtries=1\n"), SECRETS, east(""), WRONG_SECRETS);
        lab.initiate();
        assertThat(lab.westActions.timers.keySet()).anyMatch(k -> k.kind() == TimerKey.Kind.KEYING_RETRY);

        String other = west("").replace("conn net", "conn other").replace("10.1.0.0/24", "10.3.0.0/24");
        reload(lab.west, "west-reload", other, SECRETS, lab.now);

        assertThat(lab.westActions.timers.keySet()).noneMatch(k -> k.kind() == TimerKey.Kind.KEYING_RETRY);
        assertThat(lab.westActions.states).endsWith("net:DOWN");
        lab.advance(60_000);
        assertThat(lab.toEast.size()).isEqualTo(2); // only the first attempt's IKE_SA_INIT and IKE_AUTH
    }

    @Test
    void aResponderNoLongerAnswersForARemovedConnection() {
        Lab lab = new Lab(dir, west(""), SECRETS, east(""), SECRETS);
        String other = east("").replace("conn net", "conn other").replace("right=%any", "right=192.0.2.9");
        reload(lab.east, "east-reload", other, SECRETS, lab.now);

        lab.initiate();

        assertThat(lab.east.sessions()).isEmpty();
        assertThat(lab.eastActions.sentLog).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);
    }
}
