package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeRekeyCollisionTest.open;
import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.DeletePayload;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New CHILD_SAs by CREATE_CHILD_SA without N(REKEY_SA) on an existing IKE SA (RFC 7296 1.3.1): as responder, and as
 * initiator when the CHILD_SA is gone while the IKE SA lives and the connection should have a tunnel.
 */
class IkeNewChildSaTest {
    /** No rekeying: the CHILD_SA runs into its hard lifetime after 20 minutes. */
    static final String EXPIRES = "    lifetime=20m\n    rekey=no\n";
    static final String PFS = "esp=aes128gcm16-modp2048";

    @TempDir
    Path dir;

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    private static IkeSession only(IkeEngine engine) {
        assertThat(engine.sessions()).hasSize(1);
        return engine.sessions().iterator().next();
    }

    private static List<IkeDatagram> sent(Lab.Recorder r, int exchange) {
        return r.sentLog.stream().filter(d -> decode(d).header().exchangeType() == exchange).toList();
    }

    private static void assertMirrored(ChildSaInstall w, ChildSaInstall e) {
        assertThat(w.outboundSpi()).isEqualTo(e.inboundSpi());
        assertThat(w.inboundSpi()).isEqualTo(e.outboundSpi());
        assertThat(espRoundTrip(w, e)).isTrue();
        assertThat(espRoundTrip(e, w)).isTrue();
    }

    @Test
    void afterItsHardLifetimeTheChildSaIsCreatedAgainOnTheSameIkeSa() {
        Lab lab = lab(west(EXPIRES), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall first = w.child().orElseThrow();

        lab.advance(20 * 60_000);

        // the expired SA is deleted first, then a new one is created on the same IKE SA (strongSwan's order)
        List<IkeDatagram> informational = sent(lab.westActions, ExchangeType.INFORMATIONAL);
        assertThat(informational).hasSize(1);
        assertThat(open(e, informational.get(0))).containsExactly(DeletePayload.esp(first.inboundSpi()));
        List<IkeDatagram> creates = sent(lab.westActions, ExchangeType.CREATE_CHILD_SA);
        assertThat(creates).hasSize(1);
        List<Payload> request = open(e, creates.get(0));
        assertThat(request).noneMatch(p -> p instanceof NotifyPayload);
        assertThat(request).hasAtLeastOneElementOfType(SaPayload.class).hasAtLeastOneElementOfType(NoncePayload.class)
                .noneMatch(KePayload.class::isInstance);
        assertThat(request.stream().filter(TrafficSelectorPayload.class::isInstance)).hasSize(2);
        assertThat(only(lab.west)).isSameAs(w);
        assertThat(only(lab.east)).isSameAs(e);
        ChildSaInstall nowW = w.child().orElseThrow();
        ChildSaInstall nowE = e.child().orElseThrow();
        assertThat(nowW.outboundKeys()).isNotEqualTo(first.outboundKeys());
        assertMirrored(nowW, nowE);
        assertThat(nowW.localSelectors()).isEqualTo(first.localSelectors());
        assertThat(lab.westActions.installed()).containsExactly(nowW);
        assertThat(lab.eastActions.installed()).containsExactly(nowE);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:CONNECTING",
                "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED", "net:DOWN", "net:CONNECTED");
        assertThat(e.state()).isEqualTo(TunnelState.CONNECTED);
        // the new CHILD_SA has its own lifetime: the same happens 20 minutes later
        assertThat(lab.westActions.lifetimes).containsEntry(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_EXPIRE),
                lab.now + 20 * 60_000);
        lab.advance(20 * 60_000);
        assertThat(lab.westActions.installs).hasSize(3);
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.eastActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void anAutoAddConnectionIsLeftDownAfterHardExpiry() {
        Lab lab = lab(west(EXPIRES).replace("auto=start", "auto=add"), east(""));
        IkeSession w = lab.initiate();
        lab.advance(20 * 60_000);
        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA)).isEmpty();
        assertThat(lab.westActions.installed()).isEmpty();
        assertThat(lab.eastActions.installed()).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.DOWN);
        assertThat(lab.westActions.lastError).isEqualTo("CHILD_SA expired without being rekeyed");
        assertThat(only(lab.west)).isSameAs(w);
    }

    @Test
    void theResponderNarrowsANewChildSaAsInIkeAuthAndAgreesOnPfs() {
        String wide = west(EXPIRES).replace("10.1.0.0/24", "10.1.0.0/16").replace("10.2.0.0/24", "10.2.0.0/16")
                .replace("esp=aes128gcm16", PFS);
        Lab lab = lab(wide, east("").replace("esp=aes128gcm16", PFS));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        lab.advance(20 * 60_000);

        List<Payload> request = open(e, sent(lab.westActions, ExchangeType.CREATE_CHILD_SA).get(0));
        assertThat(request).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(KePayload.class,
                k -> assertThat(k.dhGroup()).isEqualTo(14)));
        List<IkeDatagram> answers = lab.toWest.stream()
                .filter(d -> decode(d).header().exchangeType() == ExchangeType.CREATE_CHILD_SA).toList();
        assertThat(open(w, answers.get(0))).anySatisfy(p -> assertThat(p).isInstanceOf(KePayload.class));
        ChildSaInstall nowW = w.child().orElseThrow();
        ChildSaInstall nowE = e.child().orElseThrow();
        assertMirrored(nowW, nowE);
        assertThat(nowW.localSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
        assertThat(nowW.remoteSelectors()).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(nowE.localSelectors()).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(nowE.remoteSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void aPeerDeletingOnlyTheChildSaGetsANewOneWithCloseactionRestart() {
        Lab lab = lab(west("    closeaction=restart\n"), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        ChildSaInstall first = w.child().orElseThrow();

        e.deleteChild(lab.now);
        lab.deliverAll();

        assertThat(w.child()).isPresent();
        assertThat(w.child().orElseThrow().inboundSpi()).isNotEqualTo(first.inboundSpi());
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow());
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED", "net:CONNECTING",
                "net:CONNECTED");
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED", "net:DOWN", "net:CONNECTED");
        assertThat(only(lab.west)).isSameAs(w);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    /**
     * Both ends want a new CHILD_SA at once (west's expired, east has closeaction=restart): both exchanges complete,
     * so each end has two CHILD_SAs; the older one stays installed next to the current one until it goes.
     */
    @Test
    void twoNewChildSasCreatedAtOnceBothStayUntilDeleted() {
        Lab lab = lab(west(EXPIRES), east("    closeaction=restart\n"));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        lab.advance(20 * 60_000);

        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA).stream()
                .filter(d -> !decode(d).header().response())).hasSize(1);
        assertThat(sent(lab.eastActions, ExchangeType.CREATE_CHILD_SA).stream()
                .filter(d -> !decode(d).header().response())).hasSize(1);
        List<ChildSaInstall> westHas = lab.westActions.installed();
        List<ChildSaInstall> eastHas = lab.eastActions.installed();
        assertThat(westHas).hasSize(2);
        assertThat(eastHas).hasSize(2);
        for (ChildSaInstall c : westHas) {
            ChildSaInstall mirror = eastHas.stream().filter(x -> x.inboundSpi() == c.outboundSpi()).findFirst().orElseThrow();
            assertMirrored(c, mirror);
        }
        // the current one is the newest on each side
        assertThat(w.child()).contains(westHas.get(1));
        assertThat(e.child()).contains(eastHas.get(1));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);

        // deleting one leaves the tunnel up on the other
        e.deleteChild(lab.now);
        lab.deliverAll();
        assertThat(lab.westActions.installed()).hasSize(1);
        assertThat(lab.eastActions.installed()).hasSize(1);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(sent(lab.westActions, ExchangeType.CREATE_CHILD_SA).stream()
                .filter(d -> !decode(d).header().response())).hasSize(1);
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void aNewChildSaRequestWhileTheResponderRekeysTheIkeSaGetsTemporaryFailureAndIsRetried() {
        Lab lab = lab(west(EXPIRES), east(""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        lab.advance(20 * 60_000 - 1);
        lab.east.timerFired(new TimerKey(e.localSpi(), TimerKey.Kind.IKE_REKEY), lab.now);
        IkeDatagram ikeRekey = lab.eastActions.takeSent().get(0);
        lab.advance(1); // west's CHILD_SA expires: DELETE, then CREATE_CHILD_SA while east's IKE SA rekey is out
        List<IkeDatagram> answers = lab.toWest.stream()
                .filter(d -> decode(d).header().exchangeType() == ExchangeType.CREATE_CHILD_SA).toList();
        assertThat(open(w, answers.get(answers.size() - 1))).containsExactly(
                NotifyPayload.of(NotifyType.TEMPORARY_FAILURE));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);
        lab.deliverToWest(ikeRekey);
        lab.deliverAll();
        lab.advance(25_000);

        IkeSession newW = only(lab.west);
        IkeSession newE = only(lab.east);
        assertThat(newW).isNotSameAs(w);
        assertMirrored(newW.child().orElseThrow(), newE.child().orElseThrow());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.installed()).hasSize(1);
        assertThat(lab.eastActions.installed()).hasSize(1);
        assertThat(lab.westActions.timers).isEmpty();
    }
}
