package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.sa.ReaderTriage.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket readers' triage of east's datagrams: framing a decoder would refuse and sources over their IKE_SA_INIT
 * rate are dropped (and counted as the engine counts them), the rest is told known or stranger; once the readers
 * apply the rate limit the engine does not charge it again, and the limit holds exactly across threads.
 */
class ReaderTriageTest {
    @TempDir
    Path dir;

    private Lab lab() {
        return new Lab(dir, IkeSessionTest.west(""), IkeSessionTest.SECRETS, IkeSessionTest.east(""),
                IkeSessionTest.SECRETS);
    }

    private static byte[] westsInit(Lab lab) {
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        byte[] request = lab.westActions.takeSent().get(0).bytes();
        lab.west.close("net", lab.now);
        lab.westActions.takeSent();
        return request;
    }

    private static byte[] withSpi(byte[] request, int n) {
        byte[] copy = request.clone();
        copy[0] = (byte) 0x77;
        copy[6] = (byte) (n >>> 8);
        copy[7] = (byte) n;
        return copy;
    }

    @Test
    void junkFramingIsDroppedAndCountedAsTheEngineCountsWhatItCannotDecode() {
        Lab lab = lab();
        ReaderTriage triage = lab.east.readerTriage();
        InetAddress from = Lab.WEST.getAddress();
        byte[] init = westsInit(lab);
        assertThat(triage.triage(init, from, lab.now)).isEqualTo(Verdict.STRANGER);

        byte[] longer = Arrays.copyOf(init, init.length + 1);
        byte[] shorter = Arrays.copyOf(init, init.length - 1);
        byte[] majorThree = init.clone();
        majorThree[17] = 0x30;
        byte[] ikev1TooLong = new byte[40];
        ikev1TooLong[17] = 0x10;
        ikev1TooLong[27] = 41;
        List<byte[]> junk = List.of(new byte[0], new byte[27], new byte[100], longer, shorter, majorThree,
                ikev1TooLong);
        long dropped = lab.east.droppedMessages();
        for (byte[] d : junk) {
            assertThat(triage.triage(d, from, lab.now)).isEqualTo(Verdict.DROP);
        }
        assertThat(lab.east.droppedMessages() - dropped).isEqualTo(junk.size());
        for (byte[] d : junk) {
            lab.east.receive(new IkeDatagram(d, Lab.EAST, Lab.WEST), lab.now); // what the engine itself does with them
        }
        assertThat(lab.east.droppedMessages() - dropped).as("the engine refuses each as well")
                .isEqualTo(2L * junk.size());
        byte[] ikev1 = ikev1TooLong.clone();
        ikev1[27] = 40; // the length is the datagram's: an ISAKMP header the decoder reads
        assertThat(triage.triage(ikev1, from, lab.now)).isEqualTo(Verdict.STRANGER);
    }

    @Test
    void aSourceOverItsRateIsDroppedOnTheReaderAndTheEngineDoesNotChargeWhatPassedAgain() {
        Lab lab = lab();
        lab.east.setCookieThreshold(0);
        lab.east.setBlockThreshold(0);
        lab.east.setInitRatePerSource(5); // bursts of 10
        ReaderTriage triage = lab.east.readerTriage();
        byte[] init = westsInit(lab);
        InetSocketAddress source = new InetSocketAddress(Net.ip("198.51.100.9"), 500);
        List<byte[]> passed = new ArrayList<>();
        for (int n = 0; n < 15; n++) {
            byte[] request = withSpi(init, n);
            if (triage.triage(request, source.getAddress(), lab.now) != Verdict.DROP) {
                passed.add(request);
            }
        }
        assertThat(passed).hasSize(10);
        assertThat(lab.east.floodCounters().rateLimited()).isEqualTo(5);

        for (byte[] request : passed) {
            lab.east.receive(new IkeDatagram(request, Lab.EAST, source), lab.now);
        }
        assertThat(lab.east.floodCounters().rateLimited()).as("no second token taken").isEqualTo(5);
        assertThat(lab.east.halfOpenCount()).isEqualTo(10);
    }

    @Test
    void aDatagramForAnSaOfOursIsKnown() {
        Lab lab = lab();
        ReaderTriage triage = lab.east.readerTriage();
        lab.west.initiate("net", Lab.WEST, Lab.EAST, lab.now);
        lab.westActions.takeSent().forEach(lab::deliverToEast);
        lab.eastActions.takeSent().forEach(lab::deliverToWest);
        byte[] auth = lab.westActions.takeSent().get(0).bytes();
        assertThat(triage.triage(auth, Lab.WEST.getAddress(), lab.now)).isEqualTo(Verdict.KNOWN);
    }

    @Test
    void theRateLimitHoldsExactlyWhenSeveralReadersApplyItAtOnce() throws Exception {
        Lab lab = lab();
        lab.east.setInitRatePerSource(5); // bursts of 10; the clock stands still, so 10 pass in all
        ReaderTriage triage = lab.east.readerTriage();
        byte[] init = westsInit(lab);
        InetAddress source = Net.ip("198.51.100.10");
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                work.add(() -> {
                    int passed = 0;
                    for (int n = 0; n < 5_000; n++) {
                        if (triage.triage(init, source, lab.now) != Verdict.DROP) {
                            passed++;
                        }
                    }
                    return passed;
                });
            }
            int passed = 0;
            for (Future<Integer> f : readers.invokeAll(work)) {
                passed += f.get();
            }
            assertThat(passed).isEqualTo(10);
            assertThat(lab.east.floodCounters().rateLimited()).isEqualTo(4 * 5_000 - 10);
        } finally {
            readers.shutdownNow();
        }
    }
}
