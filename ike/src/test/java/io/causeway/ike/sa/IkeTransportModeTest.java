package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeRekeyCollisionTest.open;
import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.EspMode;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.AddressRangeSelector;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.TrafficSelectorPayload;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transport mode negotiated with N(USE_TRANSPORT_MODE) (RFC 7296 1.3.1, 3.10.1) in IKE_AUTH and CREATE_CHILD_SA, with
 * strongSwan's answers to a mismatch: a responder that does not grant it makes a tunnel-mode SA, which the initiator
 * keeps. In memory with a fake clock.
 */
class IkeTransportModeTest {
    @TempDir
    Path dir;

    /** West and east's own addresses, the default selectors of a connection without subnets. */
    private static final String WEST_HOST = "192.0.2.1/32";
    private static final String EAST_HOST = "192.0.2.2/32";
    private static final String LIFETIME = "    lifetime=20m\n    margintime=3m\n    rekeyfuzz=0%\n";

    static String west(String type, String extra) {
        return """
                conn net
                    authby=psk
                    left=192.0.2.1
                    leftid=west.example
                    right=192.0.2.2
                    rightid=east.example
                    ike=aes128-sha256-modp2048
                    esp=aes128gcm16
                    auto=start
                    type=%s
                """.formatted(type) + extra;
    }

    static String east(String type, String extra) {
        return """
                conn net
                    authby=psk
                    left=192.0.2.2
                    leftid=east.example
                    right=%%any
                    rightid=west.example
                    ike=aes128-sha256-modp2048
                    esp=aes128gcm16
                    auto=add
                    type=%s
                """.formatted(type) + extra;
    }

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, IkeSessionTest.SECRETS, eastConf, IkeSessionTest.SECRETS);
    }

    private static IkeSession only(IkeEngine engine) {
        assertThat(engine.sessions()).hasSize(1);
        return engine.sessions().iterator().next();
    }

    private static List<IkeDatagram> exchanges(List<IkeDatagram> log, int type, boolean responses) {
        return log.stream().filter(d -> decode(d).header().exchangeType() == type
                && decode(d).header().response() == responses).toList();
    }

    private static boolean asksTransport(List<Payload> payloads) {
        return payloads.stream().anyMatch(p -> p instanceof NotifyPayload n && n.notifyType() == NotifyType.USE_TRANSPORT_MODE);
    }

    private static List<String> selectors(List<Payload> payloads, boolean initiator) {
        return payloads.stream().filter(TrafficSelectorPayload.class::isInstance).map(TrafficSelectorPayload.class::cast)
                .filter(t -> t.initiator() == initiator).flatMap(t -> t.addressRanges().stream())
                .flatMap(s -> s.toPrefixes().stream()).map(Object::toString).toList();
    }

    private static void assertMirrored(ChildSaInstall w, ChildSaInstall e, EspMode mode) {
        assertThat(w.mode()).isEqualTo(mode);
        assertThat(e.mode()).isEqualTo(mode);
        assertThat(w.outboundSpi()).isEqualTo(e.inboundSpi());
        assertThat(w.inboundSpi()).isEqualTo(e.outboundSpi());
        assertThat(espRoundTrip(w, e)).isTrue();
        assertThat(espRoundTrip(e, w)).isTrue();
    }

    private static void assertHosts(ChildSaInstall c, String local, String remote) {
        assertThat(c.localSelectors()).extracting(Object::toString).containsExactly(local);
        assertThat(c.remoteSelectors()).extracting(Object::toString).containsExactly(remote);
    }

    @Test
    void bothTransportAgreeInIkeAuthOnTheTwoHosts() {
        Lab lab = lab(west("transport", ""), east("transport", ""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        List<Payload> request = open(e, lab.westActions.sentLog.get(1));
        List<Payload> answer = open(w, lab.eastActions.sentLog.get(1));
        assertThat(asksTransport(request)).isTrue();
        assertThat(asksTransport(answer)).isTrue();
        assertThat(selectors(request, true)).containsExactly(WEST_HOST);
        assertThat(selectors(request, false)).containsExactly(EAST_HOST);
        ChildSaInstall wc = w.child().orElseThrow();
        ChildSaInstall ec = e.child().orElseThrow();
        assertMirrored(wc, ec, EspMode.TRANSPORT);
        assertHosts(wc, WEST_HOST, EAST_HOST);
        assertHosts(ec, EAST_HOST, WEST_HOST);
        assertThat(wc.toString()).contains("TRANSPORT");
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.west.droppedMessages() + lab.east.droppedMessages()).isZero();
    }

    /** strongSwan's responder declines when its connection is tunnel: no notify back, and both ends install tunnel mode. */
    @Test
    void aTunnelResponderDeclinesAndTheInitiatorKeepsTheTunnelModeSa() {
        Lab lab = lab(west("transport", ""), east("tunnel", ""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        assertThat(asksTransport(open(e, lab.westActions.sentLog.get(1)))).isTrue();
        assertThat(asksTransport(open(w, lab.eastActions.sentLog.get(1)))).isFalse();
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TUNNEL);
        assertHosts(w.child().orElseThrow(), WEST_HOST, EAST_HOST);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.lastError).isNull();
        // nothing deleted: the tunnel-mode SA is kept, as strongSwan keeps it
        assertThat(exchanges(lab.westActions.sentLog, ExchangeType.INFORMATIONAL, false)).isEmpty();
        assertThat(lab.westActions.installed()).hasSize(1);
    }

    /** strongSwan's responder makes a tunnel-mode SA when the request does not ask, whatever its own type says. */
    @Test
    void aTransportResponderAskedForNothingInstallsTunnelMode() {
        Lab lab = lab(west("tunnel", ""), east("transport", ""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        assertThat(asksTransport(open(e, lab.westActions.sentLog.get(1)))).isFalse();
        assertThat(asksTransport(open(w, lab.eastActions.sentLog.get(1)))).isFalse();
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TUNNEL);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    /** Transport mode covers the two hosts only (strongSwan: "not using transport mode, not host-to-host"). */
    @Test
    void subnetsAreNotHostToHostSoTheResponderAnswersInTunnelMode() {
        String subnets = "    leftsubnet=10.1.0.0/24\n    rightsubnet=10.2.0.0/24\n";
        Lab lab = lab(west("transport", subnets),
                east("transport", "    leftsubnet=10.2.0.0/24\n    rightsubnet=10.1.0.0/24\n"));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        assertThat(asksTransport(open(w, lab.eastActions.sentLog.get(1)))).isFalse();
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TUNNEL);
        assertHosts(w.child().orElseThrow(), "10.1.0.0/24", "10.2.0.0/24");
    }

    @Test
    void rekeysByEitherEndKeepTransportMode() {
        Lab lab = lab(west("transport", LIFETIME), east("transport", ""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        // west rekeys at its soft lifetime (17 min)
        lab.advance(17 * 60_000);
        List<IkeDatagram> westRekeys = exchanges(lab.westActions.sentLog, ExchangeType.CREATE_CHILD_SA, false);
        assertThat(westRekeys).hasSize(1);
        List<Payload> request = open(e, westRekeys.get(0));
        assertThat(request).anyMatch(p -> p instanceof NotifyPayload n && n.notifyType() == NotifyType.REKEY_SA);
        assertThat(asksTransport(request)).isTrue();
        assertThat(asksTransport(open(w, exchanges(lab.eastActions.sentLog, ExchangeType.CREATE_CHILD_SA, true).get(0))))
                .isTrue();
        assertThat(lab.westActions.installs).hasSize(2);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TRANSPORT);
        assertHosts(w.child().orElseThrow(), WEST_HOST, EAST_HOST);

        // east, the IKE responder, rekeys the new one: it asks for transport mode in turn
        e.timerFired(new TimerKey(e.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.deliverAll();
        List<IkeDatagram> eastRekeys = exchanges(lab.eastActions.sentLog, ExchangeType.CREATE_CHILD_SA, false);
        assertThat(eastRekeys).hasSize(1);
        assertThat(asksTransport(open(w, eastRekeys.get(0)))).isTrue();
        assertThat(lab.eastActions.installs).hasSize(3);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TRANSPORT);
        assertHosts(e.child().orElseThrow(), EAST_HOST, WEST_HOST);
        assertThat(lab.westActions.installed()).containsExactly(w.child().orElseThrow());
        assertThat(lab.eastActions.installed()).containsExactly(e.child().orElseThrow());
        assertThat(lab.westActions.installs).allMatch(c -> c.mode() == EspMode.TRANSPORT);
        assertThat(lab.eastActions.installs).allMatch(c -> c.mode() == EspMode.TRANSPORT);
        assertThat(lab.west.droppedMessages() + lab.east.droppedMessages()).isZero();
    }

    /** A rekey asks for the mode of the SA it replaces: a declined tunnel-mode SA is rekeyed as tunnel mode. */
    @Test
    void aDeclinedSaIsRekeyedInTunnelMode() {
        Lab lab = lab(west("transport", LIFETIME), east("tunnel", ""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        lab.advance(17 * 60_000);

        List<IkeDatagram> rekeys = exchanges(lab.westActions.sentLog, ExchangeType.CREATE_CHILD_SA, false);
        assertThat(rekeys).hasSize(1);
        assertThat(asksTransport(open(e, rekeys.get(0)))).isFalse();
        assertThat(lab.westActions.installs).hasSize(2);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TUNNEL);
    }

    @Test
    void aNewChildSaAfterHardExpiryAsksForTransportModeAgain() {
        Lab lab = lab(west("transport", "    lifetime=20m\n    rekey=no\n"), east("transport", ""));
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);
        lab.advance(20 * 60_000);

        List<IkeDatagram> creates = exchanges(lab.westActions.sentLog, ExchangeType.CREATE_CHILD_SA, false);
        assertThat(creates).hasSize(1);
        List<Payload> request = open(e, creates.get(0));
        assertThat(request).noneMatch(p -> p instanceof NotifyPayload n && n.notifyType() == NotifyType.REKEY_SA);
        assertThat(asksTransport(request)).isTrue();
        assertThat(lab.westActions.installs).hasSize(2);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TRANSPORT);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    /**
     * RFC 7296 2.23.1: west, behind a NAT, proposes its own address; east sees west at the NAT's. Each end installs the
     * outer addresses it sees, in IKE_AUTH and in rekeys by either end.
     */
    @Test
    void behindNatEachEndInstallsTheAddressesItSees() {
        Lab lab = lab(west("transport", LIFETIME), east("transport", ""));
        InetSocketAddress public500 = new InetSocketAddress(Net.ip("198.51.100.9"), 31500);
        InetSocketAddress public4500 = new InetSocketAddress(Net.ip("198.51.100.9"), 34500);
        lab.westSourceNat = a -> a.getPort() == 500 ? public500 : public4500;
        lab.westDestinationNat = a -> a.equals(public500) ? Lab.WEST : new InetSocketAddress(Lab.WEST.getAddress(), 4500);
        IkeSession w = lab.initiate();
        IkeSession e = only(lab.east);

        assertThat(selectors(open(e, lab.westActions.sentLog.get(1)), true)).containsExactly(WEST_HOST);
        // east answers with the address it sees west at
        List<Payload> answer = open(w, lab.eastActions.sentLog.get(1));
        assertThat(asksTransport(answer)).isTrue();
        assertThat(selectors(answer, true)).containsExactly("198.51.100.9/32");
        ChildSaInstall wc = w.child().orElseThrow();
        ChildSaInstall ec = e.child().orElseThrow();
        assertMirrored(wc, ec, EspMode.TRANSPORT);
        assertThat(wc.udpEncapsulation()).isTrue();
        assertHosts(wc, WEST_HOST, EAST_HOST);
        assertHosts(ec, EAST_HOST, "198.51.100.9/32");

        lab.advance(17 * 60_000); // west rekeys
        assertThat(lab.westActions.installs).hasSize(2);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TRANSPORT);
        assertHosts(w.child().orElseThrow(), WEST_HOST, EAST_HOST);
        assertHosts(e.child().orElseThrow(), EAST_HOST, "198.51.100.9/32");

        e.timerFired(new TimerKey(e.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now); // and east
        lab.deliverAll();
        assertThat(lab.eastActions.installs).hasSize(3);
        assertMirrored(w.child().orElseThrow(), e.child().orElseThrow(), EspMode.TRANSPORT);
        assertHosts(w.child().orElseThrow(), WEST_HOST, EAST_HOST);
        assertHosts(e.child().orElseThrow(), EAST_HOST, "198.51.100.9/32");
        assertThat(lab.westActions.installed()).hasSize(1);
        assertThat(lab.eastActions.installed()).hasSize(1);
        assertThat(lab.west.droppedMessages() + lab.east.droppedMessages()).isZero();
    }

    /**
     * Behind a NAT a tunnel-mode connection without subnets cannot agree: east narrows west's own address against the
     * one it sees. Only transport mode substitutes addresses (2.23.1), and a declining responder does not (strongSwan,
     * too, looks for a tunnel-mode config with the selectors as proposed and answers TS_UNACCEPTABLE).
     */
    @Test
    void behindNatATunnelResponderDoesNotSubstituteAddresses() {
        Lab lab = lab(west("transport", ""), east("tunnel", ""));
        InetSocketAddress public500 = new InetSocketAddress(Net.ip("198.51.100.9"), 31500);
        InetSocketAddress public4500 = new InetSocketAddress(Net.ip("198.51.100.9"), 34500);
        lab.westSourceNat = a -> a.getPort() == 500 ? public500 : public4500;
        lab.westDestinationNat = a -> a.equals(public500) ? Lab.WEST : new InetSocketAddress(Lab.WEST.getAddress(), 4500);
        lab.initiate();

        assertThat(lab.eastActions.installs).isEmpty();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE2_FAILED);
        assertThat(lab.westActions.lastError).contains("TS_UNACCEPTABLE");
    }

    @Test
    void anAnswerGrantingTransportModeNobodyAskedForIsRefused() {
        var local = Net.ip("192.0.2.1");
        var peer = Net.ip("192.0.2.2");
        List<AddressRangeSelector> tsi = List.of(AddressRangeSelector.ofPrefix(local, 32));
        List<AddressRangeSelector> tsr = List.of(AddressRangeSelector.ofPrefix(peer, 32));
        List<Payload> granted = List.of(ChildSaMode.useTransportMode());

        ChildSaMode unasked = ChildSaMode.initiator(granted, false, false, local, peer);
        assertThat(unasked.accepted(tsi, tsr)).isEmpty();
        assertThat(unasked.refusal()).contains("did not ask");
        // asked for, and granted for subnets: not host-to-host, so refused as well
        ChildSaMode subnets = ChildSaMode.initiator(granted, true, false, local, peer);
        assertThat(subnets.accepted(List.of(AddressRangeSelector.ofPrefix(Net.ip("10.1.0.0"), 24)), tsr)).isEmpty();
        assertThat(subnets.accepted(tsi, tsr)).contains(EspMode.TRANSPORT);
        // not granted: tunnel, whether asked or not
        assertThat(ChildSaMode.initiator(List.of(), true, false, local, peer).accepted(tsi, tsr)).contains(EspMode.TUNNEL);
    }

    @Test
    void hostSelectorsBehindANatAreReadAsTheAddressSeen() {
        var seen = Net.ip("198.51.100.9");
        AddressRangeSelector own = AddressRangeSelector.ofPrefix(Net.ip("192.0.2.1"), 32);
        AddressRangeSelector ownUdp = new AddressRangeSelector(17, 500, 500, own.startAddress(), own.endAddress());
        AddressRangeSelector other = AddressRangeSelector.ofPrefix(Net.ip("192.0.2.7"), 32);
        AddressRangeSelector subnet = AddressRangeSelector.ofPrefix(Net.ip("10.1.0.0"), 24);

        assertThat(ChildSaMode.asSeen(List.of(own, ownUdp, other, subnet), seen)).extracting(Object::toString)
                .containsExactly(AddressRangeSelector.ofPrefix(seen, 32).toString(),
                        new AddressRangeSelector(17, 500, 500, seen.getAddress(), seen.getAddress()).toString());
        // nothing to substitute: the proposal as it was
        assertThat(ChildSaMode.asSeen(List.of(subnet), seen)).containsExactly(subnet);
    }
}
