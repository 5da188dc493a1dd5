package io.causeway.ike.sa;

import static io.causeway.ike.sa.IkeSessionTest.east;
import static io.causeway.ike.sa.IkeSessionTest.west;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.ike.v2.message.ExchangeType;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flood limits in front of a new responder SA, each overfilled on east with a fake clock: the per-source
 * IKE_SA_INIT rate, block_threshold, init_limit_half_open and the half-open expiry. What an IKE_AUTH with a valid SPI
 * but the wrong key costs is {@link IkeAuthFloodTest}'s.
 */
class IkeFloodLimitTest {
    @TempDir
    Path dir;

    private Lab lab() {
        Lab lab = new Lab(dir, west(""), IkeSessionTest.SECRETS, east(""), IkeSessionTest.SECRETS);
        lab.east.setCookieThreshold(0); // each limit alone; cookies have IkeCookieTest
        lab.east.setInitRatePerSource(0);
        lab.east.setBlockThreshold(0);
        lab.east.setInitLimitHalfOpen(0);
        return lab;
    }

    /** West's first IKE_SA_INIT request, taken before it reaches east. */
    private static byte[] westsRequest(Lab lab) {
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        byte[] request = lab.westActions.takeSent().get(0).bytes();
        lab.west.close("net", lab.now); // west itself stays out of it: no retransmissions while the clock runs
        lab.westActions.takeSent();
        return request;
    }

    /** The same request as a new initiator would send it: another initiator SPI. */
    private static byte[] withSpi(byte[] request, int n) {
        byte[] copy = request.clone();
        copy[0] = (byte) 0x5a;
        copy[4] = (byte) (n >>> 24);
        copy[5] = (byte) (n >>> 16);
        copy[6] = (byte) (n >>> 8);
        copy[7] = (byte) n;
        return copy;
    }

    private static InetSocketAddress source(int n) {
        return new InetSocketAddress(Net.ip("198.51." + (n >>> 8 & 0xff) + "." + (n & 0xff)), 500);
    }

    private static void fromTo(Lab lab, byte[] bytes, InetSocketAddress from) {
        lab.east.receive(new IkeDatagram(bytes, Lab.EAST, from), lab.now);
    }

    /** A header that the rate limit takes for a new IKE_SA_INIT request, with nothing behind it that decodes. */
    private static byte[] garbageInit(int n) {
        byte[] b = new byte[64];
        b[3] = (byte) (n | 1);
        b[17] = 0x20;
        b[18] = (byte) ExchangeType.IKE_SA_INIT;
        b[19] = 0x08;
        b[27] = 64;
        b[40] = (byte) 0xee;
        return b;
    }

    @Test
    void aSourceOverItsRateIsDroppedBeforeDecodingUntilItsBucketRefillsWhileOthersPass() {
        Lab lab = lab();
        lab.east.setInitRatePerSource(5); // bursts of 10
        InetSocketAddress flooder = source(1);
        for (int i = 0; i < 50; i++) {
            fromTo(lab, garbageInit(i), flooder);
        }
        assertThat(lab.east.floodCounters().rateLimited()).isEqualTo(40);
        assertThat(lab.east.droppedMessages()).isEqualTo(10); // only the admitted ten were decoded (and failed)

        // many other sources, one request each: every one passes, the table does not grow, the flooder stays limited
        for (int n = 2; n < 20_000; n++) {
            fromTo(lab, garbageInit(n), source(n));
        }
        assertThat(lab.east.floodCounters().rateLimited()).isLessThan(45); // at most a few sources share both cells
        long limited = lab.east.floodCounters().rateLimited();
        fromTo(lab, garbageInit(99), flooder);
        assertThat(lab.east.floodCounters().rateLimited()).isEqualTo(limited + 1);

        lab.now += 1000; // five tokens back
        for (int i = 0; i < 6; i++) {
            fromTo(lab, garbageInit(i), flooder);
        }
        assertThat(lab.east.floodCounters().rateLimited()).isEqualTo(limited + 2);
    }

    @Test
    void blockThresholdKeepsOnePeerAtFiveHalfOpenSasAndTheyExpireAfterTheHalfOpenTimeout() {
        Lab lab = lab();
        lab.east.setBlockThreshold(IkeEngine.DEFAULT_BLOCK_THRESHOLD);
        byte[] request = westsRequest(lab);
        InetSocketAddress peer = source(7);
        for (int i = 0; i < 8; i++) {
            fromTo(lab, withSpi(request, i), peer);
        }
        assertThat(lab.east.halfOpenCount()).isEqualTo(5);
        assertThat(lab.east.floodCounters().blocked()).isEqualTo(3);
        fromTo(lab, withSpi(request, 100), source(8)); // another peer is not blocked
        assertThat(lab.east.halfOpenCount()).isEqualTo(6);

        lab.advance(IkeEngine.DEFAULT_HALF_OPEN_TIMEOUT.toMillis() + 1);
        assertThat(lab.east.halfOpenCount()).isZero();
        assertThat(lab.east.sessions()).isEmpty();
        fromTo(lab, withSpi(request, 200), peer);
        assertThat(lab.east.halfOpenCount()).isEqualTo(1);
        assertThat(lab.east.floodCounters().blocked()).isEqualTo(3);
    }

    @Test
    void initLimitHalfOpenCapsHalfOpenSasFromAllPeersAndFreesRoomWhenOneCompletes() {
        Lab lab = lab();
        lab.east.setInitLimitHalfOpen(3);
        byte[] request = westsRequest(lab);
        for (int n = 0; n < 5; n++) {
            fromTo(lab, withSpi(request, n), source(n));
        }
        assertThat(lab.east.halfOpenCount()).isEqualTo(3);
        assertThat(lab.east.floodCounters().halfOpenLimit()).isEqualTo(2);
        assertThat(lab.east.floodCounters().halfOpen()).isEqualTo(3);
        assertThat(lab.east.sessions()).hasSize(3);

        lab.advance(IkeEngine.DEFAULT_HALF_OPEN_TIMEOUT.toMillis() + 1);
        assertThat(lab.east.halfOpenCount()).isZero();
        fromTo(lab, withSpi(request, 50), source(50)); // room again once they expired
        assertThat(lab.east.halfOpenCount()).isEqualTo(1);
        assertThat(lab.east.floodCounters().halfOpenLimit()).isEqualTo(2);
    }

    @Test
    void cookiesSentAreCounted() {
        Lab lab = lab();
        lab.east.setCookieThreshold(1);
        byte[] request = westsRequest(lab);
        fromTo(lab, withSpi(request, 1), source(1));
        for (int n = 2; n < 6; n++) {
            fromTo(lab, withSpi(request, n), source(n));
        }
        assertThat(lab.east.halfOpenCount()).isEqualTo(1);
        assertThat(lab.east.floodCounters().cookiesSent()).isEqualTo(4);
    }

    @Test
    void negativeLimitsAreRefused() {
        Lab lab = lab();
        assertThatThrownBy(() -> lab.east.setInitLimitHalfOpen(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lab.east.setBlockThreshold(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lab.east.setInitRatePerSource(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
