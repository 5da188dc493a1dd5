package io.causeway.ike.sa;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.sa.IkeIntakeScreen.Verdict;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The readers' first look at an IKE datagram: malformed headers and new-SA requests over a source's rate. */
class IkeIntakeScreenTest {
    private static final int SOURCE = 0xC6120001; // 198.18.0.1
    private static final int OTHER_SOURCE = 0xC6120002;

    /**
     * The first 28 octets of strongSwan 5.9.8's IKE_SA_INIT request, as captured in the lab (test resource
     * v2/strongswan-5.9.8/plain-01-ike_sa_init-request.hex): SPIi, SPIr zero, next payload SA, version 2.0, exchange
     * 34, flags I, message ID 0, length 500.
     */
    private static final byte[] SWAN_IKE_SA_INIT = HexFormat.of().parseHex(
            "ef6e770785cdb9b6" + "0000000000000000" + "21" + "20" + "22" + "08" + "00000000" + "000001f4");
    private static final int SWAN_LENGTH = 500;

    @Test
    void anIkeSaInitWithinTheRatePassesAndTheBurstBeyondIsRefused() {
        IkeIntakeScreen screen = new IkeIntakeScreen(42, 20);
        byte[] datagram = padded(SWAN_IKE_SA_INIT, SWAN_LENGTH);
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            if (screen.screen(datagram, 0, datagram.length, SOURCE, 1_000) == Verdict.PASS) passed++;
        }
        assertThat(passed).as("the burst: twice the rate").isEqualTo(40);
        assertThat(screen.rateLimited()).isEqualTo(60);
        assertThat(screen.screen(datagram, 0, datagram.length, OTHER_SOURCE, 1_000)).as("another source")
                .isEqualTo(Verdict.PASS);
        assertThat(screen.screen(datagram, 0, datagram.length, SOURCE, 1_050)).as("one token after 50 ms")
                .isEqualTo(Verdict.PASS);
        assertThat(screen.screen(datagram, 0, datagram.length, SOURCE, 1_050)).isEqualTo(Verdict.RATE_LIMITED);
    }

    @Test
    void messagesOfEstablishedSasAreNeverRateLimited() {
        IkeIntakeScreen screen = new IkeIntakeScreen(42, 1);
        byte[] auth = padded(SWAN_IKE_SA_INIT, 300);
        auth[8] = 0x7f; // a responder SPI: an IKE_AUTH or later exchange of a known SA
        auth[18] = 35;
        auth[23] = 1;
        auth[27] = (byte) 300 & 0xff;
        auth[26] = 1;
        for (int i = 0; i < 1_000; i++) {
            assertThat(screen.screen(auth, 0, auth.length, SOURCE, 1_000)).isEqualTo(Verdict.PASS);
        }
        assertThat(screen.rateLimited()).isZero();
    }

    @Test
    void anIkeV1FirstMessageCountsAgainstTheSameRate() {
        IkeIntakeScreen screen = new IkeIntakeScreen(42, 1);
        byte[] mainMode = padded(SWAN_IKE_SA_INIT, 200);
        mainMode[16] = 1; // SA
        mainMode[17] = 0x10; // ISAKMP 1.0
        mainMode[18] = 2; // Identity Protection (main mode)
        mainMode[19] = 0;
        mainMode[26] = 0;
        mainMode[27] = (byte) 200;
        assertThat(screen.screen(mainMode, 0, 200, SOURCE, 0)).isEqualTo(Verdict.PASS);
        assertThat(screen.screen(mainMode, 0, 200, SOURCE, 0)).isEqualTo(Verdict.PASS);
        assertThat(screen.screen(mainMode, 0, 200, SOURCE, 0)).isEqualTo(Verdict.RATE_LIMITED);
    }

    @Test
    void whatCannotBeAnIkeMessageIsMalformed() {
        IkeIntakeScreen screen = new IkeIntakeScreen(42, 0);
        byte[] ok = padded(SWAN_IKE_SA_INIT, SWAN_LENGTH);
        assertThat(screen.screen(ok, 0, 27, SOURCE, 0)).as("shorter than the header").isEqualTo(Verdict.MALFORMED);
        assertThat(screen.screen(ok, 0, SWAN_LENGTH - 1, SOURCE, 0)).as("length field beyond the datagram")
                .isEqualTo(Verdict.MALFORMED);
        byte[] v3 = ok.clone();
        v3[17] = 0x30;
        assertThat(screen.screen(v3, 0, v3.length, SOURCE, 0)).as("major version 3").isEqualTo(Verdict.MALFORMED);
        byte[] tiny = ok.clone();
        tiny[26] = 0;
        tiny[27] = 27;
        assertThat(screen.screen(tiny, 0, tiny.length, SOURCE, 0)).as("length field below 28")
                .isEqualTo(Verdict.MALFORMED);
        assertThat(screen.malformed()).isEqualTo(4);
        assertThat(screen.screen(ok, 0, SWAN_LENGTH + 1, SOURCE, 0)).as("IKEv2: an octet after the message")
                .isEqualTo(Verdict.MALFORMED);
        assertThat(screen.malformed()).isEqualTo(5);
        assertThat(screen.screen(ok, 0, ok.length, SOURCE, 0)).as("rate 0: no limit").isEqualTo(Verdict.PASS);
        byte[] v1 = ok.clone();
        v1[17] = 0x10;
        assertThat(screen.screen(v1, 0, SWAN_LENGTH + 100, SOURCE, 0)).as("IKEv1: octets after the message are allowed")
                .isEqualTo(Verdict.PASS);
    }

    @Test
    void theScreenReadsOnlyTheHeaderItIsGiven() {
        IkeIntakeScreen screen = new IkeIntakeScreen(42, 20);
        // the port-500 reader hands over the first 28 octets and the datagram's full length
        assertThat(screen.screen(SWAN_IKE_SA_INIT, 0, SWAN_LENGTH, SOURCE, 0)).isEqualTo(Verdict.PASS);
    }

    /** Several readers (the 4500 reader and port 500's event loop) share one screen: the limit holds exactly. */
    @Test
    void theRateLimitHoldsExactlyWhenSeveralReadersApplyItAtOnce() throws Exception {
        IkeIntakeScreen screen = new IkeIntakeScreen(42, 5); // bursts of 10; the clock stands still, so 10 pass
        byte[] datagram = padded(SWAN_IKE_SA_INIT, SWAN_LENGTH);
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                work.add(() -> {
                    int passed = 0;
                    for (int n = 0; n < 5_000; n++) {
                        if (screen.screen(datagram, 0, datagram.length, SOURCE, 7) == Verdict.PASS) passed++;
                    }
                    return passed;
                });
            }
            int passed = 0;
            for (Future<Integer> f : readers.invokeAll(work)) {
                passed += f.get();
            }
            assertThat(passed).isEqualTo(10);
            assertThat(screen.rateLimited()).isEqualTo(4 * 5_000 - 10);
        } finally {
            readers.shutdownNow();
        }
    }

    private static byte[] padded(byte[] header, int length) {
        byte[] m = new byte[length];
        System.arraycopy(header, 0, m, 0, header.length);
        return m;
    }
}
