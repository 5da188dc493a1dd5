package io.causeway.ike.sa;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.conf.connection.Connection;
import io.causeway.conf.secrets.Secrets;
import io.causeway.ike.crypto.DeterministicRandomSource;
import io.causeway.ike.timing.RetransmitSchedule;
import io.causeway.ike.v1.crypto.V1Cipher;
import io.causeway.ike.v1.crypto.V1Hash;
import io.causeway.ike.v1.message.CbcCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Comparator;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The IKEv1 IV chain (RFC 2409 Appendix B) of one ISAKMP SA's {@link IsakmpTransport} against a peer modelled with
 * {@link io.causeway.ike.v1.message.IvChain}: with a known key, the fuzzer scripts phase 1 (main or aggressive mode,
 * either role), quick modes and informationals under message ids it picks, what each message carries (well-formed
 * payloads or raw chain octets), and deliveries out of order, again (retransmissions), with a flipped octet, or of
 * raw bytes. {@link IvChainRun} holds the contract.
 */
class IsakmpIvChainFuzzTest {
    static final Suite[] SUITES = {
        Suite.of(V1Cipher.AES_CBC, 128, V1Hash.SHA1, "AES"),
        Suite.of(V1Cipher.AES_CBC, 256, V1Hash.SHA2_256, "AES"),
        Suite.of(V1Cipher.TRIPLE_DES_CBC, 192, V1Hash.MD5, "DESede"),
    };
    static final Connection CONNECTION = ikev1Connection();
    static final IvChainRun.QuietActions ACTIONS = new IvChainRun.QuietActions();
    static final EngineContext CONTEXT = new EngineContext(Secrets.empty(), new DeterministicRandomSource("iv-chain-fuzz"),
            ACTIONS, RetransmitSchedule.STRONGSWAN, new EngineContext.DropCounter());

    /**
     * A phase-1 cipher and hash; the key is fixed, the IVs come from the hash. The CBC cipher is JceCbcCipher's
     * transformation with its two javax.crypto.Cipher objects made once: JceCbcCipher makes one per call (it must be
     * thread-safe), which took a third of the run; that it encrypts alike is checked when the suite is made.
     */
    record Suite(V1Cipher cipher, int keyBits, V1Hash hash, CbcCipher cbc) {
        static Suite of(V1Cipher cipher, int keyBits, V1Hash hash, String algorithm) {
            byte[] key = new byte[cipher.keyBytes(keyBits)];
            Arrays.fill(key, (byte) 0x5a);
            CbcCipher reused = new ReusedCbcCipher(algorithm, key, cipher.blockBytes());
            CbcCipher production = IsakmpCodec.cipher(cipher, key);
            byte[] iv = new byte[cipher.blockBytes()];
            byte[] probe = new byte[cipher.blockBytes() * 3];
            Arrays.fill(probe, (byte) 0x3c);
            if (!Arrays.equals(reused.encrypt(iv, probe), production.encrypt(iv, probe))) {
                throw new IllegalStateException(algorithm + " in the harness encrypts unlike " + production);
            }
            return new Suite(cipher, keyBits, hash, reused);
        }
    }

    /** CBC without padding on two Cipher objects kept for the run; one fuzzing thread uses them. */
    private static final class ReusedCbcCipher implements CbcCipher {
        private final SecretKeySpec key;
        private final int blockSize;
        private final Cipher encryptor;
        private final Cipher decryptor;

        ReusedCbcCipher(String algorithm, byte[] key, int blockSize) {
            this.key = new SecretKeySpec(key, algorithm);
            this.blockSize = blockSize;
            try {
                this.encryptor = Cipher.getInstance(algorithm + "/CBC/NoPadding");
                this.decryptor = Cipher.getInstance(algorithm + "/CBC/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int blockSize() {
            return blockSize;
        }

        @Override
        public byte[] encrypt(byte[] iv, byte[] plaintext) {
            return run(encryptor, Cipher.ENCRYPT_MODE, iv, plaintext);
        }

        @Override
        public byte[] decrypt(byte[] iv, byte[] ciphertext) {
            return run(decryptor, Cipher.DECRYPT_MODE, iv, ciphertext);
        }

        private byte[] run(Cipher cipher, int mode, byte[] iv, byte[] input) {
            if (iv.length != blockSize || input.length % blockSize != 0) {
                throw new IllegalArgumentException("IV of " + iv.length + " or input of " + input.length + " bytes");
            }
            try {
                cipher.init(mode, key, new IvParameterSpec(iv));
                return cipher.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
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
