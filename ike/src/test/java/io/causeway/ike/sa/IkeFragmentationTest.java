package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.espRoundTrip;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.ike.TunnelState;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.SkfPayload;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IKE fragmentation (RFC 7383) between two engines in memory, with a fake clock and a small fragment size. */
class IkeFragmentationTest {
    /** 256 octets of IP datagram: IKE messages of at most 228 octets on port 500 over IPv4. */
    static final int FRAGMENT_SIZE = 256;

    @TempDir
    Path dir;

    /** Eight subnets on each side make IKE_AUTH (its TSi and TSr) long enough for three fragments. */
    static String manySubnets(String conf) {
        return conf.replace("10.1.0.0/24", subnets(1)).replace("10.2.0.0/24", subnets(2));
    }

    private static String subnets(int site) {
        return String.join(",", IntStream.range(0, 8).mapToObj(i -> "10." + site + "." + i + ".0/24").toList());
    }

    private Lab lab(String westExtra, String eastExtra) {
        Lab lab = new Lab(dir, manySubnets(west(westExtra)), IkeSessionTest.SECRETS, manySubnets(east(eastExtra)),
                IkeSessionTest.SECRETS);
        lab.west.setFragmentSize(FRAGMENT_SIZE);
        lab.east.setFragmentSize(FRAGMENT_SIZE);
        return lab;
    }

    private static List<IkeMessage> authMessages(List<IkeDatagram> log) {
        return log.stream().map(IkeSessionTest::decode).filter(m -> m.header().exchangeType() == ExchangeType.IKE_AUTH).toList();
    }

    private static boolean isFragment(IkeDatagram d, int number) {
        IkeMessage m = decode(d);
        return m.skf().map(f -> f.fragmentNumber() == number).orElse(false);
    }

    private static void assertFragmentsOfOneMessage(List<IkeMessage> fragments) {
        int total = fragments.size();
        assertThat(total).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < total; i++) {
            SkfPayload f = fragments.get(i).skf().orElseThrow();
            assertThat(f.fragmentNumber()).isEqualTo(i + 1);
            assertThat(f.totalFragments()).isEqualTo(total);
            assertThat(fragments.get(i).payloads()).hasSize(1); // SKF alone
            assertThat(fragments.get(i).length()).isLessThanOrEqualTo(FRAGMENT_SIZE - 20 - 8);
            assertThat(fragments.get(i).header().messageId()).isEqualTo(1);
        }
    }

    @Test
    void ikeAuthGoesAsFragmentsBothWaysAndTheTunnelComesUp() {
        Lab lab = lab("", "");
        lab.initiate();

        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(decode(lab.westActions.sentLog.get(0)).notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).hasSize(1);
        assertThat(decode(lab.eastActions.sentLog.get(0)).notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).hasSize(1);
        List<IkeMessage> request = authMessages(lab.westActions.sentLog);
        List<IkeMessage> response = authMessages(lab.eastActions.sentLog);
        assertFragmentsOfOneMessage(request);
        assertFragmentsOfOneMessage(response);
        assertThat(response).allMatch(m -> m.header().response());
        ChildSaInstall w = lab.westActions.installs.get(0);
        ChildSaInstall e = lab.eastActions.installs.get(0);
        assertThat(w.localSelectors()).hasSize(8);
        assertThat(e.remoteSelectors()).hasSize(8);
        assertThat(espRoundTrip(w, e)).isTrue();
        assertThat(espRoundTrip(e, w)).isTrue();
        assertThat(lab.west.droppedMessages()).isZero();
        assertThat(lab.east.droppedMessages()).isZero();
    }

    @Test
    void laterExchangesAreFragmentedToo() {
        Lab lab = lab("", "");
        IkeSession w = lab.initiate();
        int sent = lab.westActions.sentLog.size();
        // a CHILD_SA rekey carries both selector lists again
        lab.west.timerFired(new TimerKey(w.localSpi(), TimerKey.Kind.CHILD_REKEY), lab.now);
        lab.deliverAll();

        List<IkeMessage> rekey = lab.westActions.sentLog.subList(sent, lab.westActions.sentLog.size()).stream()
                .map(IkeSessionTest::decode).filter(m -> m.header().exchangeType() == ExchangeType.CREATE_CHILD_SA).toList();
        assertThat(rekey).hasSizeGreaterThan(1).allMatch(m -> m.skf().isPresent());
        assertThat(lab.westActions.installs).hasSize(2);
        assertThat(lab.eastActions.installs).hasSize(2);
        assertThat(espRoundTrip(lab.westActions.installs.get(1), lab.eastActions.installs.get(1))).isTrue();
    }

    @Test
    void aLostRequestFragmentIsRecoveredByRetransmittingAllFragments() {
        Lab lab = lab("", "");
        boolean[] lost = {false};
        lab.drop = d -> d.local().equals(Lab.WEST) && isFragment(d, 2) && !lost[0] && (lost[0] = true);
        lab.initiate();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);
        assertThat(lab.eastActions.installs).isEmpty();
        int firstRound = authMessages(lab.westActions.sentLog).size();

        lab.advance(4_000);

        List<IkeDatagram> auth = lab.westActions.sentLog.subList(1, lab.westActions.sentLog.size());
        assertThat(auth).hasSize(2 * firstRound);
        for (int i = 0; i < firstRound; i++) {
            assertThat(auth.get(firstRound + i).bytes()).isEqualTo(auth.get(i).bytes()); // the same octets again
        }
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.installs).hasSize(1);
    }

    @Test
    void aLostResponseFragmentIsRecoveredByReplayingTheWholeCachedResponse() {
        Lab lab = lab("", "");
        boolean[] lost = {false};
        lab.drop = d -> d.local().equals(Lab.EAST) && isFragment(d, 2) && !lost[0] && (lost[0] = true);
        lab.initiate();
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTING);
        List<IkeDatagram> firstAnswer = lab.eastActions.sentLog.subList(1, lab.eastActions.sentLog.size());
        int fragments = firstAnswer.size();
        List<byte[]> firstBytes = firstAnswer.stream().map(IkeDatagram::bytes).toList();

        lab.advance(4_000);

        // RFC 7383 2.6.1: only the retransmitted first fragment triggers the replay, once, of all fragments
        List<IkeDatagram> replay = lab.eastActions.sentLog.subList(1 + fragments, lab.eastActions.sentLog.size());
        assertThat(replay).hasSize(fragments);
        for (int i = 0; i < fragments; i++) {
            assertThat(replay.get(i).bytes()).isEqualTo(firstBytes.get(i));
        }
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.installs).hasSize(1); // the retransmitted request was not processed again
        assertThat(lab.westActions.installs.get(0).outboundKeys()).isEqualTo(lab.eastActions.installs.get(0).inboundKeys());
    }

    @Test
    void aForgedFragmentIsCountedAndDroppedAndTheExchangeStillCompletes() {
        Lab lab = lab("", "");
        List<IkeDatagram> held = new java.util.ArrayList<>();
        lab.drop = d -> d.local().equals(Lab.WEST) && isFragment(d, 2) && held.isEmpty() && held.add(d);
        lab.initiate();
        byte[] forged = held.get(0).bytes();
        forged[forged.length - 20] ^= 1; // inside the ciphertext: the ICV no longer matches
        long dropped = lab.east.droppedMessages();

        lab.east.receive(new IkeDatagram(forged, Lab.EAST, Lab.WEST), lab.now);
        lab.east.receive(new IkeDatagram(new byte[] {0, 1, 2}, Lab.EAST, Lab.WEST), lab.now);

        assertThat(lab.east.droppedMessages()).isEqualTo(dropped + 2);
        assertThat(lab.eastActions.installs).isEmpty();
        lab.east.receive(new IkeDatagram(held.get(0).bytes(), Lab.EAST, Lab.WEST), lab.now); // the real one
        lab.deliverAll();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void everySingleBitFlipOfAFragmentIsDroppedWithoutHarm() {
        Lab lab = lab("", "");
        List<IkeDatagram> held = new java.util.ArrayList<>();
        lab.drop = d -> d.local().equals(Lab.WEST) && decode(d).skf().isPresent() && held.add(d);
        lab.initiate();
        assertThat(held).hasSizeGreaterThanOrEqualTo(3);

        for (IkeDatagram fragment : held) {
            byte[] original = fragment.bytes();
            for (int i = 0; i < original.length; i++) {
                byte[] flipped = original.clone();
                flipped[i] ^= (byte) (1 << (i % 8));
                lab.east.receive(new IkeDatagram(flipped, Lab.EAST, Lab.WEST), lab.now);
            }
        }
        assertThat(lab.eastActions.installs).isEmpty();
        assertThat(lab.eastActions.sentLog).hasSize(1); // nothing but the IKE_SA_INIT answer
        for (IkeDatagram fragment : held) {
            lab.east.receive(new IkeDatagram(fragment.bytes(), Lab.EAST, Lab.WEST), lab.now);
        }
        lab.drop = d -> false;
        lab.deliverAll();
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void fragmentationAcceptAnnouncesSupportButSendsWholeMessages() {
        Lab lab = lab("    fragmentation=accept\n", "");
        lab.initiate();

        assertThat(decode(lab.westActions.sentLog.get(0)).notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).hasSize(1);
        assertThat(authMessages(lab.westActions.sentLog)).singleElement().satisfies(m -> assertThat(m.sk()).isPresent());
        assertFragmentsOfOneMessage(authMessages(lab.eastActions.sentLog)); // east may fragment towards west
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void fragmentationNoAnnouncesNothingAndNeitherSideFragments() {
        Lab lab = lab("    fragmentation=no\n", "");
        lab.initiate();

        assertThat(decode(lab.westActions.sentLog.get(0)).notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).isEmpty();
        // RFC 7383 2.3: east does not announce it to an initiator that did not
        assertThat(decode(lab.eastActions.sentLog.get(0)).notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).isEmpty();
        assertThat(authMessages(lab.westActions.sentLog)).singleElement().satisfies(m -> assertThat(m.sk()).isPresent());
        assertThat(authMessages(lab.eastActions.sentLog)).singleElement().satisfies(m -> {
            assertThat(m.sk()).isPresent();
            assertThat(m.length()).isGreaterThan(FRAGMENT_SIZE - 28);
        });
        assertThat(lab.westActions.state).isEqualTo(TunnelState.CONNECTED);
    }

    @Test
    void messagesThatFitAreNotFragmented() {
        Lab lab = new Lab(dir, west(""), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS); // default 1280
        lab.initiate();
        assertThat(authMessages(lab.westActions.sentLog)).singleElement().satisfies(m -> assertThat(m.sk()).isPresent());
        assertThat(authMessages(lab.eastActions.sentLog)).singleElement().satisfies(m -> assertThat(m.sk()).isPresent());
    }

    @Test
    void theMessageLimitAccountsForIpUdpAndTheNonEspMarker() {
        EngineSettings settings = new EngineSettings();
        InetSocketAddress v4 = new InetSocketAddress(Net.ip("192.0.2.1"), 500);
        InetSocketAddress v4nat = new InetSocketAddress(Net.ip("192.0.2.2"), 4500);
        InetSocketAddress v6 = new InetSocketAddress(Net.ip("2001:db8::1"), 500);
        InetSocketAddress v6nat = new InetSocketAddress(Net.ip("2001:db8::2"), 4500);
        assertThat(settings.maxMessageLength(v4, v4)).isEqualTo(1280 - 20 - 8);
        assertThat(settings.maxMessageLength(v4, v4nat)).isEqualTo(1280 - 20 - 8 - 4);
        assertThat(settings.maxMessageLength(v6, v6)).isEqualTo(1280 - 40 - 8);
        assertThat(settings.maxMessageLength(v6nat, v6)).isEqualTo(1280 - 40 - 8 - 4);
        settings.fragmentSize(576);
        assertThat(settings.maxMessageLength(v4, v4)).isEqualTo(548);
    }

    @Test
    void fragmentSizeSetterRejectsUselessSizes() {
        Lab lab = new Lab(dir, west(""), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS);
        assertThatThrownBy(() -> lab.west.setFragmentSize(IkeEngine.MIN_FRAGMENT_SIZE - 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lab.west.setFragmentSize(65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
