package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.decode;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.TunnelState;
import io.causeway.ike.crypto.CookieGenerator;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.PayloadType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an engine's {@link KnownPeers} tells the socket readers from raw octets: datagrams for its IKEv2 and IKEv1 SAs
 * (half-open ones included) and IKE_SA_INIT requests returning its cookie are known, strangers' and forgeries are
 * not, and an SA's datagrams stop being known once it is gone. West and east in memory with a fake clock.
 */
class KnownPeersTest {
    private static final InetSocketAddress NORTH = new InetSocketAddress(Net.ip("192.0.2.3"), 500);

    @TempDir
    Path dir;

    private static boolean knownToEast(Lab lab, byte[] datagram, InetSocketAddress from) {
        return lab.east.knownPeers().known(datagram, from.getAddress());
    }

    /** A third initiator whose IKE_SA_INIT reaches east and stays half-open. */
    private void northHalfOpen(Lab lab) {
        var conf = Lab.load(dir.resolve("north"), IkeSessionTest.west("").replace("left=192.0.2.1", "left=192.0.2.3"),
                IkeSessionTest.SECRETS);
        Lab.Recorder actions = new Lab.Recorder("north");
        IkeEngine north = new IkeEngine(conf.config().activeConnections(), conf.config().secrets(),
                new DeterministicRandomSource("north"), actions);
        north.initiate("net", NORTH, Lab.EAST, lab.now);
        lab.east.receive(new IkeDatagram(actions.takeSent().get(0).bytes(), Lab.EAST, NORTH), lab.now);
        lab.eastActions.takeSent();
        assertThat(lab.east.halfOpenCount()).isEqualTo(1);
    }

    /** Where a payload of this type starts in a message, following the chain from the header; -1 if absent. */
    private static int payloadAt(byte[] m, int wanted) {
        int at = 28;
        int type = m[16] & 0xff;
        while (type != 0 && at + 4 <= m.length) {
            if (type == wanted) {
                return at;
            }
            type = m[at] & 0xff;
            at += (m[at + 2] & 0xff) << 8 | m[at + 3] & 0xff;
        }
        return -1;
    }

    @Test
    void anIkeSaIsKnownInBothRolesFromTheFirstAnswerHalfOpenIncludedAndForgottenWithTheSa() {
        Lab lab = new Lab(dir, IkeSessionTest.west(""), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        List<IkeDatagram> init = lab.westActions.takeSent();
        assertThat(knownToEast(lab, init.get(0).bytes(), Lab.WEST)).as("a new IKE_SA_INIT").isFalse();
        init.forEach(lab::deliverToEast);
        List<IkeDatagram> answer = lab.eastActions.takeSent();
        assertThat(lab.west.knownPeers().known(answer.get(0).bytes(), Lab.EAST.getAddress()))
                .as("the answer to west's request: west's SPI is the initiator's").isTrue();
        answer.forEach(lab::deliverToWest);
        List<IkeDatagram> auth = lab.westActions.takeSent();
        assertThat(knownToEast(lab, auth.get(0).bytes(), Lab.WEST)).as("IKE_AUTH to a half-open SA").isTrue();
        byte[] otherSpi = auth.get(0).bytes().clone();
        otherSpi[15] ^= 1;
        assertThat(knownToEast(lab, otherSpi, Lab.WEST)).as("an SPI east never chose").isFalse();
        byte[] roleSwapped = auth.get(0).bytes().clone();
        roleSwapped[19] &= ~0x08; // as if the responder had sent it: the SPI of ours would be the initiator's
        assertThat(knownToEast(lab, roleSwapped, Lab.WEST)).isFalse();

        auth.forEach(lab::deliverToEast);
        lab.deliverAll();
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(knownToEast(lab, auth.get(0).bytes(), Lab.WEST)).isTrue();

        lab.west.close("net", lab.now);
        lab.deliverAll();
        assertThat(lab.east.sessions()).isEmpty();
        assertThat(knownToEast(lab, auth.get(0).bytes(), Lab.WEST)).as("after the SA is gone").isFalse();
    }

    @Test
    void anInitRequestReturningOurCookieIsKnownOnlyFromTheAddressItWasMadeForAndOnlyIntact() {
        Lab lab = new Lab(dir, IkeSessionTest.west(""), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
        lab.east.setCookieThreshold(1);
        northHalfOpen(lab);
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        IkeDatagram first = lab.westActions.takeSent().get(0);
        lab.deliverToEast(first);
        List<IkeDatagram> cookieAnswer = lab.eastActions.takeSent();
        assertThat(decode(cookieAnswer.get(0)).notifies(NotifyType.COOKIE)).hasSize(1);
        cookieAnswer.forEach(lab::deliverToWest);
        byte[] withCookie = lab.westActions.takeSent().get(0).bytes();
        int cookieAt = payloadAt(withCookie, PayloadType.NOTIFY);
        int nonceAt = payloadAt(withCookie, PayloadType.NONCE);
        assertThat(cookieAt).as("RFC 7296 2.6: the COOKIE first").isEqualTo(28);
        assertThat(nonceAt).isPositive();

        assertThat(knownToEast(lab, first.bytes(), Lab.WEST)).as("without the cookie").isFalse();
        assertThat(knownToEast(lab, withCookie, Lab.WEST)).as("with it, from west").isTrue();
        assertThat(knownToEast(lab, withCookie, NORTH)).as("the same from another address").isFalse();

        // what the cookie is made of or what makes the datagram a new request: SPIi, SPIr (zero), the first
        // payload's type, the exchange type, the Response flag, the COOKIE notify's type and data, Ni's data
        List<Integer> crucial = new ArrayList<>();
        IntStream.range(0, 17).forEach(crucial::add);
        crucial.add(18);
        IntStream.range(cookieAt + 6, cookieAt + 8 + CookieGenerator.COOKIE_BYTES).forEach(crucial::add);
        int nonceEnd = nonceAt + ((withCookie[nonceAt + 2] & 0xff) << 8 | withCookie[nonceAt + 3] & 0xff);
        IntStream.range(nonceAt + 4, nonceEnd).forEach(crucial::add);
        for (int i : crucial) {
            byte[] flipped = withCookie.clone();
            flipped[i] ^= 0x01;
            assertThat(knownToEast(lab, flipped, Lab.WEST)).as("octet %d flipped", i).isFalse();
        }
        byte[] asResponse = withCookie.clone();
        asResponse[19] |= 0x20;
        assertThat(knownToEast(lab, asResponse, Lab.WEST)).isFalse();
        for (int length = 0; length < nonceEnd; length++) {
            assertThat(knownToEast(lab, Arrays.copyOf(withCookie, length), Lab.WEST)).as("cut to %d octets", length)
                    .isFalse();
        }
    }

    @Test
    void anIsakmpSaIsKnownByTheCookieOfOursInEitherPlace() {
        Lab lab = new Lab(dir, IsakmpSessionTest.west(""), IsakmpSessionTest.SECRETS, IsakmpSessionTest.east(""),
                IsakmpSessionTest.SECRETS);
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        List<IkeDatagram> first = lab.westActions.takeSent();
        assertThat(knownToEast(lab, first.get(0).bytes(), Lab.WEST)).isFalse();
        first.forEach(lab::deliverToEast);
        List<IkeDatagram> reply = lab.eastActions.takeSent();
        assertThat(lab.west.knownPeers().known(reply.get(0).bytes(), Lab.EAST.getAddress())).as("west's CKY-I")
                .isTrue();
        reply.forEach(lab::deliverToWest);
        List<IkeDatagram> third = lab.westActions.takeSent();
        assertThat(knownToEast(lab, third.get(0).bytes(), Lab.WEST)).as("east's CKY-R").isTrue();
        third.forEach(lab::deliverToEast);
        lab.deliverAll();
        assertThat(lab.eastActions.state).isEqualTo(TunnelState.CONNECTED);
        assertThat(knownToEast(lab, third.get(0).bytes(), Lab.WEST)).isTrue();
    }

    @Test
    void randomOctetsAreNeverKnownAndNeverThrow() {
        Lab lab = new Lab(dir, IkeSessionTest.west(""), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
        lab.east.setCookieThreshold(1);
        northHalfOpen(lab); // east holds an SA and a cookie secret: both checks run
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.deliverToEast(lab.westActions.takeSent().get(0));
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            byte[] d = new byte[random.nextInt(200)];
            random.nextBytes(d);
            if (d.length > 28 && i % 2 == 0) {
                // an IKE_SA_INIT request whose first payload claims to be a Notify: the cookie walk runs on junk
                Arrays.fill(d, 8, 16, (byte) 0);
                d[16] = 41;
                d[17] = 0x20;
                d[18] = 34;
                d[19] = 0x08;
            }
            assertThat(knownToEast(lab, d, Lab.WEST)).isFalse();
        }
    }
}
