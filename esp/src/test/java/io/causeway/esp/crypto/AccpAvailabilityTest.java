package io.causeway.esp.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import io.causeway.esp.testing.Sas;
import java.security.Provider;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** ACCP where it loads, SunJCE with one warning where it does not. */
class AccpAvailabilityTest {
    private static final EspSuite GCM = EspSuite.parse("aes128gcm16");
    private static final EspSuite CBC = EspSuite.parse("aes128-sha256");

    @Test
    void loadsOnX8664LinuxAndRunsAes() {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux"),
                "the ACCP jar we depend on carries the x86_64 Linux library only");
        assertThat(AccpAvailability.PROCESS.available()).isTrue();

        JceGcmTransform gcm = (JceGcmTransform) Transforms.create(GCM, Sas.keys(GCM, 1), CryptoProvider.ACCP, true);
        CbcHmacTransform cbc = (CbcHmacTransform) Transforms.create(CBC, Sas.keys(CBC, 1), CryptoProvider.ACCP, true);

        assertThat(gcm.provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(((JceCbcCipher) cbc.cbc()).provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(cbc.icv()).as("the JDK's HMAC, which allocates nothing").isInstanceOf(JceHmac.class);
    }

    @Test
    void accpIsNeverInstalledAsAGlobalProvider() {
        Transforms.create(GCM, Sas.keys(GCM, 1), CryptoProvider.ACCP, false);

        assertThat(java.security.Security.getProvider("AmazonCorrettoCryptoProvider")).isNull();
    }

    static Stream<Arguments> loadFailures() {
        return Stream.of(
                Arguments.of("no native library", (Supplier<Provider>) () -> {
                    throw new IllegalStateException("native library did not load",
                            new UnsatisfiedLinkError("libamazonCorrettoCryptoProvider.so: wrong ELF class: ELFCLASS64"));
                }),
                Arguments.of("self-tests failed", (Supplier<Provider>) () -> {
                    throw new IllegalStateException("self-tests FAILED");
                }),
                Arguments.of("jar missing", (Supplier<Provider>) () -> {
                    throw new NoClassDefFoundError("com/amazon/corretto/crypto/provider/AmazonCorrettoCryptoProvider");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loadFailures")
    void aProviderThatCannotLoadFallsBackToJceWithOneWarning(String name, Supplier<Provider> failing) {
        Logger log = (Logger) LoggerFactory.getLogger("test.accp." + name.replace(' ', '-'));
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.setAdditive(false);
        log.addAppender(lines);
        AtomicInteger loads = new AtomicInteger();
        AccpAvailability accp = new AccpAvailability(() -> {
            loads.incrementAndGet();
            return failing.get();
        }, log);

        for (int sa = 0; sa < 3; sa++) {
            JceGcmTransform gcm = (JceGcmTransform) Transforms.create(GCM, Sas.keys(GCM, sa), CryptoProvider.ACCP, true, accp);
            CbcHmacTransform cbc = (CbcHmacTransform) Transforms.create(CBC, Sas.keys(CBC, sa), CryptoProvider.ACCP, true, accp);
            assertThat(gcm.provider().getName()).isEqualTo("SunJCE");
            assertThat(((JceCbcCipher) cbc.cbc()).provider().getName()).isEqualTo("SunJCE");
            assertThat(cbc.icv()).isInstanceOf(JceHmac.class);
            assertSealsAsJce(GCM, gcm, sa);
            assertSealsAsJce(CBC, cbc, sa);
        }

        assertThat(accp.available()).isFalse();
        assertThat(loads).hasValue(1);
        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getFormattedMessage()).startsWith("Amazon Corretto Crypto Provider unavailable, SAs asking for it use SunJCE instead: ");
        log.detachAppender(lines);
    }

    @Test
    void theWarningNamesTheRootCause() {
        Logger log = (Logger) LoggerFactory.getLogger("test.accp.cause");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.setAdditive(false);
        log.addAppender(lines);
        AccpAvailability accp = new AccpAvailability(() -> {
            throw new IllegalStateException("native library did not load", new UnsatisfiedLinkError("GLIBC_2.28 not found"));
        }, log);

        assertThat(accp.available()).isFalse();

        assertThat(lines.list.get(0).getFormattedMessage())
                .endsWith("native library did not load (java.lang.UnsatisfiedLinkError: GLIBC_2.28 not found)");
        log.detachAppender(lines);
    }

    /** The stand-in produces SunJCE's packet, byte for byte. */
    private static void assertSealsAsJce(EspSuite suite, EspTransform t, int seed) {
        SaKeys keys = Sas.keys(suite, seed);
        EspTransform jce = Transforms.create(suite, keys, CryptoProvider.JCE, true);
        int ptLen = 10 * suite.blockBytes();
        byte[] a = new byte[8 + suite.ivBytes() + ptLen + suite.icvBytes()];
        new Random(seed).nextBytes(a);
        byte[] b = a.clone();
        t.seal(a, 0, ptLen, 5);
        jce.seal(b, 0, ptLen, 5);
        assertThat(a).isEqualTo(b);
    }
}
