package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.eastAnswering;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static io.causeway.ike.sa.IkeSessionTest.westInitiating;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INITIAL_CONTACT (RFC 7296 2.4, 3.10.1): a restarted peer's new IKE SA replaces what we still hold for it. */
class IkeInitialContactTest {
    static final InetSocketAddress NORTH = new InetSocketAddress(Net.ip("192.0.2.3"), 500);

    @TempDir
    Path dir;

    private static List<ChildSaInstall> liveChildren(Lab.Recorder r, String connection) {
        List<ChildSaInstall> live = new ArrayList<>();
        for (ChildSaInstall c : r.installs) {
            boolean removed = r.removals.stream().anyMatch(x -> x.inboundSpi() == c.inboundSpi());
            if (c.connection().equals(connection) && !removed) {
                live.add(c);
            }
        }
        return live;
    }

    /** Whether the IKE_AUTH request west sent carries INITIAL_CONTACT, read with the responder's keys. */
    private static boolean authRequestHasInitialContact(Lab lab, int authIndex) {
        List<IkeDatagram> auth = lab.toEast.stream()
                .filter(d -> IkeSessionTest.decode(d).header().exchangeType() == ExchangeType.IKE_AUTH).toList();
        IkeMessage m = IkeSessionTest.decode(auth.get(authIndex));
        IkeSession receiver = lab.east.session(m.header().responderSpi()).orElseThrow();
        try {
            return receiver.decryptFromPeer(m).contains(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRestartedPeerReplacesTheOldIkeSaWithoutDeletes() {
        Lab lab = new Lab(dir, west("    dpdaction=restart\n    dpddelay=30s\n"), IkeSessionTest.SECRETS,
                east("    dpdaction=clear\n    dpddelay=30s\n"), IkeSessionTest.SECRETS);
        lab.initiate();
        IkeSession old = lab.east.sessions().iterator().next();
        assertThat(authRequestHasInitialContact(lab, 0)).isTrue();
        int eastSent = lab.eastActions.sentLog.size();

        lab.restartWest();
        IkeSession fresh = lab.initiate();

        assertThat(fresh.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(authRequestHasInitialContact(lab, 1)).isTrue();
        // east holds exactly the new IKE SA and its CHILD_SA
        assertThat(lab.east.sessions()).singleElement().satisfies(s -> {
            assertThat(s.initiatorSpi()).isEqualTo(fresh.initiatorSpi());
            assertThat(s.state()).isEqualTo(TunnelState.CONNECTED);
        });
        assertThat(old.closed()).isTrue();
        assertThat(lab.eastActions.installs).hasSize(2);
        assertThat(lab.eastActions.removals).singleElement()
                .satisfies(r -> assertThat(r.inboundSpi()).isEqualTo(lab.eastActions.installs.get(0).inboundSpi()));
        assertThat(liveChildren(lab.eastActions, "net")).singleElement()
                .satisfies(c -> assertThat(espRoundTrip(lab.westActions.installs.get(0), c)).isTrue());
        // the new SA's CONNECTED is the last word about the tunnel
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED", "net:CONNECTED");
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        // east sent only answers since: no DELETE (nor anything else) to the forgotten SA
        assertThat(lab.eastActions.sentLog.subList(eastSent, lab.eastActions.sentLog.size()))
                .extracting(d -> IkeSessionTest.decode(d).header())
                .allMatch(h -> h.response() && h.initiatorSpi() == fresh.initiatorSpi());
        // and no timer of the old SA is left to fire
        assertThat(lab.eastActions.timers.keySet()).allMatch(k -> k.localSpi() == fresh.responderSpi());
        assertThat(lab.eastActions.lifetimes.keySet()).allMatch(k -> k.localSpi() == fresh.responderSpi());
        assertThat(lab.eastActions.timers.keySet()).extracting(TimerKey::kind).containsExactly(TimerKey.Kind.DPD);
    }

    @Test
    void anSaWithAnotherPeerIdentityIsKept() {
        String other = eastAnswering("other", "10.2.0.0/24", "north.example", "10.3.0.0/24");
        String secrets = IkeSessionTest.SECRETS + "north.example east.example : PSK \"north key\"\n";
        Lab lab = new Lab(dir, west(""), IkeSessionTest.SECRETS, other + east(""), secrets);
        var northConf = Lab.load(dir.resolve("north"), west("").replace("left=192.0.2.1", "left=192.0.2.3")
                .replace("leftid=west.example", "leftid=north.example").replace("10.1.0.0/24", "10.3.0.0/24"), secrets);
        Lab.Recorder northActions = new Lab.Recorder("north");
        IkeEngine north = new IkeEngine(northConf.config().activeConnections(), northConf.config().secrets(),
                new DeterministicRandomSource("north"), northActions);
        north.initiate("net", NORTH, Lab.EAST, lab.now);
        for (int round = 0; round < 10; round++) {
            for (IkeDatagram d : northActions.takeSent()) {
                lab.east.receive(new IkeDatagram(d.bytes(), Lab.EAST, NORTH), lab.now);
            }
            for (IkeDatagram d : lab.eastActions.takeSent()) {
                north.receive(new IkeDatagram(d.bytes(), NORTH, Lab.EAST), lab.now);
            }
        }
        assertThat(northActions.state).isEqualTo(TunnelState.CONNECTED);
        lab.initiate();

        lab.restartWest();
        lab.initiate();

        assertThat(lab.east.sessions()).hasSize(2);
        assertThat(lab.east.sessions()).extracting(s -> s.connection().name()).containsExactlyInAnyOrder("net", "other");
        assertThat(liveChildren(lab.eastActions, "other")).hasSize(1);
        assertThat(liveChildren(lab.eastActions, "net")).hasSize(1);
        assertThat(lab.eastActions.states).containsExactly("other:CONNECTED", "net:CONNECTED", "net:CONNECTED");
    }

    @Test
    void aSecondConnectionToTheSamePeerLeavesInitialContactOut() {
        String westSecond = westInitiating("net2", "west2.example", "10.1.1.0/24", "10.2.1.0/24");
        String eastSecond = eastAnswering("net2", "10.2.1.0/24", "west2.example", "10.1.1.0/24");
        String secrets = IkeSessionTest.SECRETS + "west2.example east.example : PSK \"second key\"\n";
        Lab lab = new Lab(dir, west("") + westSecond, secrets, east("") + eastSecond, secrets);
        lab.initiate();
        lab.west.initiate("net2", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverAll();

        // west already has an SA with 192.0.2.2: the second one must not make east forget it
        assertThat(authRequestHasInitialContact(lab, 0)).isTrue();
        assertThat(authRequestHasInitialContact(lab, 1)).isFalse();
        assertThat(lab.east.sessions()).extracting(s -> s.connection().name()).containsExactlyInAnyOrder("net", "net2");
        assertThat(lab.eastActions.removals).isEmpty();
        assertThat(lab.west.sessions()).hasSize(2).allMatch(s -> s.state() == TunnelState.CONNECTED);
    }
}
