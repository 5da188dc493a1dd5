package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.DropReason;
import io.causeway.esp.InboundSa;
import io.causeway.esp.Opened;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** West initiates, east responds, in memory with a fake clock: IKE_SA_INIT and IKE_AUTH with PSK. */
class IkeSessionTest {
    static final String SECRETS = "west.example east.example : PSK \"correct horse battery staple\"\n";

    @TempDir
    Path dir;

    static String west(String extra) {
        return westInitiating("net", "west.example", "10.1.0.0/24", "10.2.0.0/24") + extra;
    }

    static String east(String extra) {
        return eastAnswering("net", "10.2.0.0/24", "west.example", "10.1.0.0/24") + extra;
    }

    /** A connection west (192.0.2.1) starts to east (192.0.2.2, east.example), with the suites of every test here. */
    static String westInitiating(String name, String id, String subnet, String eastSubnet) {
        return """
                conn %s
                    authby=psk
                    left=192.0.2.1
                    leftid=%s
                    leftsubnet=%s
                    right=192.0.2.2
                    rightid=east.example
                    rightsubnet=%s
                    ike=aes128-sha256-modp2048
                    esp=aes128gcm16
                    auto=start
                """.formatted(name, id, subnet, eastSubnet);
    }

    /** A connection east (192.0.2.2, east.example) answers for a peer at any address, with the same suites. */
    static String eastAnswering(String name, String subnet, String peerId, String peerSubnet) {
        return """
                conn %s
                    authby=psk
                    left=192.0.2.2
                    leftid=east.example
                    leftsubnet=%s
                    right=%%any
                    rightid=%s
                    rightsubnet=%s
                    ike=aes128-sha256-modp2048
                    esp=aes128gcm16
                    auto=add
                """.formatted(name, subnet, peerId, peerSubnet);
    }

    private Lab lab(String westConf, String eastConf) {
        return new Lab(dir, westConf, SECRETS, eastConf, SECRETS);
    }

    @Test
    void fullExchangeInstallsMirroredChildSas() {
        Lab lab = lab(west(""), east(""));
        IkeSession session = lab.initiate();

        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.states).containsExactly("net:CONNECTING", "net:CONNECTED");
        assertThat(session.state()).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.installs).hasSize(1);
        assertThat(lab.eastActions.installs).hasSize(1);
        ChildSaInstall w = lab.westActions.installs.get(0);
        ChildSaInstall e = lab.eastActions.installs.get(0);
        assertThat(w.outboundSpi()).isEqualTo(e.inboundSpi());
        assertThat(w.inboundSpi()).isEqualTo(e.outboundSpi());
        assertThat(w.outboundKeys()).isEqualTo(e.inboundKeys());
        assertThat(w.inboundKeys()).isEqualTo(e.outboundKeys());
        assertThat(w.outboundKeys()).isNotEqualTo(w.inboundKeys());
        assertThat(w.suite()).isEqualTo(e.suite());
        assertThat(w.suite().name()).contains("gcm");
        assertThat(w.localSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
        assertThat(w.remoteSelectors()).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(e.localSelectors()).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(e.remoteSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
        assertThat(w.udpEncapsulation()).isFalse();
        assertThat(e.udpEncapsulation()).isFalse();
        assertThat(w.peer()).isEqualTo(Lab.EAST);
        assertThat(e.peer()).isEqualTo(Lab.WEST);
        assertThat(w.toString()).doesNotContain("correct horse");

        // message ids 0 then 1, flags as RFC 7296 3.1 wants them
        List<IkeMessage> fromWest = lab.westActions.sentLog.stream().map(IkeSessionTest::decode).toList();
        List<IkeMessage> fromEast = lab.eastActions.sentLog.stream().map(IkeSessionTest::decode).toList();
        assertThat(fromWest).extracting(m -> m.header().messageId()).containsExactly(0L, 1L);
        assertThat(fromWest).allMatch(m -> m.header().initiator() && !m.header().response());
        assertThat(fromEast).allMatch(m -> !m.header().initiator() && m.header().response());
        assertThat(fromEast.get(1).header().exchangeType()).isEqualTo(ExchangeType.IKE_AUTH);
        assertThat(lab.westActions.timers).isEmpty();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void installedKeysCarryTrafficFromWestToEastAndBack() {
        Lab lab = lab(west(""), east(""));
        lab.initiate();
        ChildSaInstall w = lab.westActions.installs.get(0);
        ChildSaInstall e = lab.eastActions.installs.get(0);
        assertThat(espRoundTrip(w, e)).isTrue();
        assertThat(espRoundTrip(e, w)).isTrue();
    }

    static boolean espRoundTrip(ChildSaInstall sender, ChildSaInstall receiver) {
        OutboundSa out = new OutboundSa(SaConfig.builder(sender.outboundSpi(), sender.suite(), sender.outboundKeys())
                .esn(sender.esn()).build());
        InboundSa in = new InboundSa(SaConfig.builder(receiver.inboundSpi(), receiver.suite(), receiver.inboundKeys())
                .esn(receiver.esn()).build());
        byte[] inner = new byte[40];
        inner[0] = 0x45;
        Arrays.fill(inner, 20, 40, (byte) 0x5a);
        byte[] buf = new byte[256];
        System.arraycopy(inner, 0, buf, out.headroom(), inner.length);
        int len = out.seal(buf, 0, inner.length, 4);
        assertThat(len).isPositive();
        Opened opened = new Opened();
        DropReason r = in.open(buf, 0, len, opened);
        return r == DropReason.NONE && opened.innerLength == inner.length
                && Arrays.equals(Arrays.copyOfRange(buf, opened.innerOffset, opened.innerOffset + opened.innerLength), inner);
    }

    @Test
    void wrongPskIsAnsweredWithAuthenticationFailed() {
        Lab lab = new Lab(dir, west(""), SECRETS, east(""), "west.example east.example : PSK \"wrong\"\n");
        lab.initiate();

        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE1_FAILED);
        assertThat(lab.westActions.lastError)
                .isEqualTo("peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids");
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.PHASE1_FAILED);
        assertThat(lab.eastActions.lastError).contains("west.example").doesNotContain("wrong").doesNotContain("correct");
        assertThat(lab.westActions.installs).isEmpty();
        assertThat(lab.eastActions.installs).isEmpty();
        assertThat(lab.west.sessions()).isEmpty();
        // all keying tries failed: only the timer of the next round is left
        assertThat(lab.westActions.timers.keySet()).extracting(TimerKey::kind).containsOnly(TimerKey.Kind.KEYING_RETRY);
    }

    @Test
    void proposalMismatchIsAnsweredWithNoProposalChosen() {
        Lab lab = lab(west("").replace("ike=aes128-sha256-modp2048", "ike=aes256-sha512-modp2048"), east(""));
        lab.initiate();

        IkeMessage answer = decode(lab.eastActions.sentLog.get(0));
        assertThat(answer.notifies(NotifyType.NO_PROPOSAL_CHOSEN)).hasSize(1);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE1_FAILED);
        assertThat(lab.westActions.lastError).isEqualTo(
                "peer answered NO_PROPOSAL_CHOSEN to IKE_SA_INIT: we offered ike=aes256-sha512-modp2048");
        assertThat(lab.east.sessions()).isEmpty();
    }

    @Test
    void invalidKePayloadMakesWestRetryWithTheGroupEastWants() {
        Lab lab = lab(west("").replace("ike=aes128-sha256-modp2048", "ike=aes128-sha256-ecp384-ecp256"),
                east("").replace("ike=aes128-sha256-modp2048", "ike=aes128-sha256-ecp256"));
        lab.initiate();

        IkeMessage first = decode(lab.eastActions.sentLog.get(0));
        assertThat(first.notifies(NotifyType.INVALID_KE_PAYLOAD)).singleElement()
                .satisfies(n -> assertThat(n.invalidKeGroup()).hasValue(19));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.west.sessions()).singleElement().satisfies(s ->
                assertThat(s.ikeProposal().orElseThrow().toString()).isEqualTo("aes128-sha256-ecp256"));
        assertThat(lab.westActions.installs.get(0).outboundKeys()).isEqualTo(lab.eastActions.installs.get(0).inboundKeys());
    }

    @Test
    void lostInitResponseIsRecoveredByRetransmissionAfterFourSeconds() {
        Lab lab = lab(west(""), east(""));
        int[] seen = {0};
        lab.drop = d -> d.local().equals(Lab.EAST) && seen[0]++ == 0; // east's first datagram is lost
        lab.initiate();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);
        assertThat(lab.westActions.sentLog).hasSize(1);

        lab.advance(3_999);
        assertThat(lab.westActions.sentLog).hasSize(1);
        lab.advance(1);
        assertThat(lab.westActions.sentLog).hasSize(3);
        assertThat(lab.westActions.sentLog.get(1).bytes()).isEqualTo(lab.westActions.sentLog.get(0).bytes());
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.installs).hasSize(1);
    }

    @Test
    void duplicatedIkeAuthRequestIsAnsweredFromTheCache() {
        Lab lab = lab(west(""), east(""));
        lab.initiate();
        IkeDatagram authRequest = lab.toEast.get(1);
        int sentBefore = lab.eastActions.sentLog.size();
        byte[] firstAnswer = lab.eastActions.sentLog.get(sentBefore - 1).bytes();

        lab.east.receive(authRequest, lab.now);

        assertThat(lab.eastActions.sentLog).hasSize(sentBefore + 1);
        assertThat(lab.eastActions.sentLog.get(sentBefore).bytes()).isEqualTo(firstAnswer);
        assertThat(lab.eastActions.installs).hasSize(1);
        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
    }

    @Test
    void noAnswerAtAllEndsInPhase1FailedAfterTheSchedule() {
        Lab lab = lab(west("    keyingtries=1\n"), east(""));
        lab.drop = d -> true;
        lab.initiate();

        lab.advance(165_000);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);
        lab.advance(1_000);
        assertThat(lab.westActions.sentLog).hasSize(6); // the request and 5 retransmissions
        assertThat(lab.westActions.sentLog).allMatch(d -> Arrays.equals(d.bytes(), lab.westActions.sentLog.get(0).bytes()));
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE1_FAILED);
        assertThat(lab.westActions.lastError).isEqualTo("no answer from 192.0.2.2 after 5 retransmissions");
        assertThat(lab.west.sessions()).isEmpty();
        assertThat(lab.westActions.timers.keySet()).extracting(TimerKey::kind).containsExactly(TimerKey.Kind.KEYING_RETRY);
    }

    @Test
    void natInFrontOfWestMovesBothToPort4500AndEncapsulatesEsp() {
        Lab lab = lab(west(""), east(""));
        InetSocketAddress public500 = new InetSocketAddress(Net.ip("198.51.100.9"), 31500);
        InetSocketAddress public4500 = new InetSocketAddress(Net.ip("198.51.100.9"), 34500);
        lab.westSourceNat = a -> a.getPort() == 500 ? public500 : public4500;
        lab.westDestinationNat = a -> a.equals(public500) ? Lab.WEST
                : new InetSocketAddress(Lab.WEST.getAddress(), 4500);
        lab.initiate();

        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        ChildSaInstall w = lab.westActions.installs.get(0);
        ChildSaInstall e = lab.eastActions.installs.get(0);
        assertThat(w.udpEncapsulation()).isTrue();
        assertThat(e.udpEncapsulation()).isTrue();
        assertThat(w.peer()).isEqualTo(new InetSocketAddress(Lab.EAST.getAddress(), 4500));
        assertThat(e.peer()).isEqualTo(public4500);
        IkeDatagram authRequest = lab.westActions.sentLog.get(1);
        assertThat(authRequest.local().getPort()).isEqualTo(4500);
        assertThat(authRequest.remote().getPort()).isEqualTo(4500);
        assertThat(lab.eastActions.sentLog.get(1).local().getPort()).isEqualTo(4500);
        assertThat(lab.eastActions.sentLog.get(1).remote()).isEqualTo(public4500);
    }

    @Test
    void forceEncapsMovesTo4500WithoutANat() {
        Lab lab = lab(west("    forceencaps=yes\n"), east(""));
        lab.initiate();
        assertThat(lab.westActions.installs.get(0).udpEncapsulation()).isTrue();
        assertThat(lab.eastActions.installs.get(0).udpEncapsulation()).isTrue();
        assertThat(lab.westActions.sentLog.get(1).remote().getPort()).isEqualTo(4500);
    }

    @Test
    void eastNarrowsWestsWideSelectorsToItsOwn() {
        Lab lab = lab(west("").replace("10.1.0.0/24", "10.1.0.0/16").replace("10.2.0.0/24", "10.2.0.0/16"), east(""));
        lab.initiate();

        ChildSaInstall w = lab.westActions.installs.get(0);
        ChildSaInstall e = lab.eastActions.installs.get(0);
        assertThat(w.localSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
        assertThat(w.remoteSelectors()).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(e.localSelectors()).extracting(Object::toString).containsExactly("10.2.0.0/24");
        assertThat(e.remoteSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
    }

    @Test
    void disjointSelectorsFailTheChildWithTsUnacceptable() {
        Lab lab = lab(west("").replace("rightsubnet=10.2.0.0/24", "rightsubnet=10.9.0.0/24"), east(""));
        lab.initiate();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE2_FAILED);
        assertThat(lab.westActions.lastError).startsWith("peer answered TS_UNACCEPTABLE");
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.PHASE2_FAILED);
        assertThat(lab.westActions.installs).isEmpty();
    }

    @Test
    void garbageAndTamperedMessagesAreDroppedNotThrown() {
        Lab lab = lab(west(""), east(""));
        lab.east.receive(new IkeDatagram(new byte[] {1, 2, 3}, Lab.EAST, Lab.WEST), lab.now);
        assertThat(lab.east.droppedMessages()).isEqualTo(1);
        lab.drop = d -> d.local().equals(Lab.WEST) && decode(d).header().exchangeType() == ExchangeType.IKE_AUTH;
        lab.initiate();
        byte[] tampered = lab.westActions.sentLog.get(1).bytes();
        tampered[tampered.length - 1] ^= 1;
        lab.east.receive(new IkeDatagram(tampered, Lab.EAST, Lab.WEST), lab.now);
        assertThat(lab.east.droppedMessages()).isEqualTo(2);
        assertThat(lab.eastActions.installs).isEmpty();
    }

    @Test
    void responderPicksTheConnectionByThePeersIdAfterIkeAuth() {
        String other = eastAnswering("other", "10.2.0.0/24", "someone.else", "10.7.0.0/24");
        Lab lab = new Lab(dir, west(""), SECRETS, other + east(""),
                SECRETS + "someone.else east.example : PSK \"other key\"\n");
        lab.initiate();

        assertThat(lab.eastActions.states).containsExactly("net:CONNECTED");
        assertThat(lab.eastActions.installs).singleElement().satisfies(c -> {
            assertThat(c.connection()).isEqualTo("net");
            assertThat(c.remoteSelectors()).extracting(Object::toString).containsExactly("10.1.0.0/24");
        });
    }

    @Test
    void westRefusesAnEastThatIdentifiesAsSomeoneElse() {
        Lab lab = new Lab(dir, west(""), SECRETS + "west.example other.example : PSK \"correct horse battery staple\"\n",
                east("").replace("leftid=east.example", "leftid=other.example"),
                "west.example other.example : PSK \"correct horse battery staple\"\n");
        lab.initiate();
        // west names east.example in IDr; east has no connection for it and refuses
        assertThat(lab.westActions.state).isEqualTo(TunnelState.PHASE1_FAILED);
        assertThat(lab.westActions.installs).isEmpty();
    }

    static IkeMessage decode(IkeDatagram d) {
        try {
            return IkeMessage.decode(d.bytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
