package io.causeway.esp.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.amazon.corretto.crypto.provider.SelfTestStatus;
import java.security.Provider;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Amazon Corretto Crypto Provider works in this process, decided once. ACCP is AWS-LC behind JCE and
 * ships its native library for one CPU and libc (x86_64 glibc in the jar we depend on); elsewhere, or when its
 * self-tests fail, SAs asking for it run on SunJCE instead, and one warning per process says why. The provider is
 * only ever passed explicitly to Cipher.getInstance, never installed, so nothing else in the JVM changes.
 */
public final class AccpAvailability {
    private static final Logger LOG = LoggerFactory.getLogger(AccpAvailability.class);

    /** The one the data path uses. */
    public static final AccpAvailability PROCESS = new AccpAvailability(AccpAvailability::loadAccp, LOG);

    private final Supplier<Provider> loader;
    private final Logger log;
    private boolean decided;
    private Provider provider;

    /**
     * @param loader returns a working provider or throws saying why there is none; called at most once
     * @param log where the one fallback warning goes
     */
    AccpAvailability(Supplier<Provider> loader, Logger log) {
        this.loader = loader;
        this.log = log;
    }

    /** Whether SAs asking for ACCP get it, rather than SunJCE. */
    public boolean available() {
        return provider() != null;
    }

    /** The loaded provider, or null when it cannot run here (the warning is logged on the first call only). */
    synchronized Provider provider() {
        if (!decided) {
            decided = true;
            try {
                provider = loader.get();
            } catch (RuntimeException | LinkageError e) {
                log.warn("Amazon Corretto Crypto Provider unavailable, SAs asking for it use SunJCE instead: {}", describe(e));
            }
        }
        return provider;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return root == e ? what : what + " (" + root + ")";
    }

    /**
     * Touching INSTANCE loads the native library; a library that does not load leaves a loading error rather than
     * throwing, and one that loads but computes wrongly fails the self-tests.
     */
    private static Provider loadAccp() {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        Throwable loading = accp.getLoadingError();
        if (loading != null) {
            throw new IllegalStateException("native library did not load", loading);
        }
        SelfTestStatus selfTests = accp.runSelfTests();
        if (selfTests != SelfTestStatus.PASSED) {
            throw new IllegalStateException("self-tests " + selfTests);
        }
        return accp;
    }
}
