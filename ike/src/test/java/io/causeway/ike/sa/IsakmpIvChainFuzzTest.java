package io.causeway.ike.sa;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.secrets.Secrets;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.v1.crypto.V1Cipher;
import io.causeway.ike.v1.crypto.V1Hash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The IKEv1 IV chain (RFC 2409 Appendix B) of one ISAKMP SA's {@link IsakmpTransport} against a peer modelled with
 * {@link io.causeway.ike.v1.message.IvChain}: with a known key, the fuzzer scripts phase 1 (main or aggressive mode,
 * either role), quick modes and informationals under message ids it picks, what each message carries (well-formed
 * payloads or raw chain octets), and deliveries out of order, again (retransmissions), with a flipped octet, or of
 * raw bytes. {@link IvChainRun} holds the contract.
 */
class IsakmpIvChainFuzzTest {
    static final Suite[] SUITES = {
        new Suite(V1Cipher.AES_CBC, 128, V1Hash.SHA1),
        new Suite(V1Cipher.AES_CBC, 256, V1Hash.SHA2_256),
        new Suite(V1Cipher.TRIPLE_DES_CBC, 192, V1Hash.MD5),
    };
    static final Connection CONNECTION = ikev1Connection();
    static final IvChainRun.QuietActions ACTIONS = new IvChainRun.QuietActions();
    static final EngineContext CONTEXT = new EngineContext(Secrets.empty(), new DeterministicRandomSource("iv-chain-fuzz"),
            ACTIONS, RetransmitSchedule.STRONGSWAN, new EngineContext.DropCounter());

    /** A phase-1 cipher and hash; the key is fixed, the IVs come from the hash. */
    record Suite(V1Cipher cipher, int keyBits, V1Hash hash) {
    }

    @FuzzTest
    void ivChainAcrossExchanges(FuzzedDataProvider data) {
        Suite suite = SUITES[data.consumeInt(0, SUITES.length - 1)];
        boolean aggressive = data.consumeBoolean();
        boolean weInitiate = data.consumeBoolean();
        new IvChainRun(suite, aggressive, weInitiate).play(data);
    }

    private static Connection ikev1Connection() {
        String conf = "conn fuzz\n    keyexchange=ikev1\n    authby=secret\n    left=192.0.2.1\n    right=192.0.2.2\n"
                + "    ike=aes128-sha1-modp2048\n    esp=aes128-sha1\n    auto=add\n";
        String secrets = "192.0.2.1 192.0.2.2 : PSK \"only-a-fuzz-harness-secret\"\n";
        try {
            Path dir = Files.createTempDirectory("iv-fuzz");
            Connection c = Lab.load(dir, conf, secrets).config().activeConnections().get(0);
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
