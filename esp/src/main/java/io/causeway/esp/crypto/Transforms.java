package io.causeway.esp.crypto;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspInteg;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import java.security.Provider;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;

/**
 * Builds the per-thread transform and IV generator of an SA for a suite and provider. Where the provider lacks an
 * algorithm the nearest one that has it stands in: ACCP runs AES (GCM and CBC) but has no DES or 3DES (those run on
 * SunJCE); neither ACCP nor SunJCE takes GCM tags under 96 bits (aes*gcm8 runs on Bouncy Castle); ACCP that cannot
 * load on this host is SunJCE throughout ({@link AccpAvailability}). HMAC for ACCP SAs is the JDK's: ACCP's Mac
 * returns a new array from every doFinal (40-48 B per packet) and was not faster than JceHmac over the SHA
 * intrinsics in bench/README.md's run, while JceHmac allocates nothing.
 */
public final class Transforms {
    private Transforms() {
    }

    public static EspTransform create(EspSuite suite, SaKeys keys, CryptoProvider provider, boolean esn) {
        return create(suite, keys, provider, esn, AccpAvailability.PROCESS);
    }

    /** With the ACCP availability given, so that tests can play a host where it does not load. */
    static EspTransform create(EspSuite suite, SaKeys keys, CryptoProvider provider, boolean esn, AccpAvailability accp) {
        byte[] enc = keys.encKey();
        if (enc.length != suite.encKeyBytes()) {
            throw new IllegalArgumentException(suite.name() + " needs " + suite.encKeyBytes() + " bytes of encryption key, got " + enc.length);
        }
        byte[] integ = keys.integKey();
        if (integ.length != suite.integKeyBytes()) {
            throw new IllegalArgumentException(suite.name() + " needs " + suite.integKeyBytes() + " bytes of integrity key, got " + integ.length);
        }
        Provider accpOrNull = provider == CryptoProvider.ACCP ? accp.provider() : null;
        boolean jce = provider != CryptoProvider.BOUNCY_CASTLE;
        if (suite.aead()) {
            boolean jceCanDoTag = suite.icvBytes() >= JceGcmTransform.MIN_TAG_BYTES;
            return jce && jceCanDoTag ? new JceGcmTransform(enc, suite.icvBytes(), esn, accpOrNull) : new BcGcmTransform(enc, suite.icvBytes(), esn);
        }
        CbcCipher cbc = jce ? jceCbc(suite, enc, accpOrNull) : bcCbc(suite, enc);
        Icv icv = suite.integ() == EspInteg.NONE ? null : jce ? jceHmac(suite.integ(), integ) : bcHmac(suite.integ(), integ);
        return new CbcHmacTransform(cbc, icv, esn);
    }

    /**
     * ACCP has no AES-ECB, and a native call per 16-byte IV would cost more than SunJCE's intrinsic: ACCP SAs draw
     * their CBC IVs from SunJCE.
     */
    public static IvGenerator ivGenerator(EspSuite suite, CryptoProvider provider, byte[] ivSecret) {
        return suite.aead() ? SequenceIv.INSTANCE
                : new EncryptedCounterIv(ivSecret, suite.ivBytes(), provider != CryptoProvider.BOUNCY_CASTLE);
    }

    private static CbcCipher jceCbc(EspSuite suite, byte[] key, Provider accp) {
        return switch (suite.cipher()) {
            case AES_CBC -> new JceCbcCipher("AES", key, 16, accp);
            case DES3_CBC -> new JceCbcCipher("DESede", key, 8);
            case DES_CBC -> new JceCbcCipher("DES", key, 8);
            case AES_GCM -> throw new IllegalArgumentException("GCM is not CBC");
        };
    }
    private static CbcCipher bcCbc(EspSuite suite, byte[] key) {
        return switch (suite.cipher()) {
            case AES_CBC -> new BcCbcCipher(AESEngine.newInstance(), AESEngine.newInstance(), key);
            case DES3_CBC -> new BcCbcCipher(new TripleDesEngine(), new TripleDesEngine(), key);
            case DES_CBC -> new BcCbcCipher(new DESEngine(), new DESEngine(), key);
            case AES_GCM -> throw new IllegalArgumentException("GCM is not CBC");
        };
    }

    private static Icv jceHmac(EspInteg integ, byte[] key) {
        String digest = switch (integ) {
            case HMAC_MD5_96 -> "MD5";
            case HMAC_SHA1_96 -> "SHA-1";
            case HMAC_SHA2_256_128 -> "SHA-256";
            case HMAC_SHA2_384_192 -> "SHA-384";
            case HMAC_SHA2_512_256 -> "SHA-512";
            case NONE -> throw new IllegalArgumentException("no integrity");
        };
        return new JceHmac(digest, integ.hashBlockBytes(), integ.digestBytes(), integ.icvBytes(), key);
    }

    private static Icv bcHmac(EspInteg integ, byte[] key) {
        Digest digest = switch (integ) {
            case HMAC_MD5_96 -> new MD5Digest();
            case HMAC_SHA1_96 -> new SHA1Digest();
            case HMAC_SHA2_256_128 -> new SHA256Digest();
            case HMAC_SHA2_384_192 -> new SHA384Digest();
            case HMAC_SHA2_512_256 -> new SHA512Digest();
            case NONE -> throw new IllegalArgumentException("no integrity");
        };
        return new BcHmac(digest, integ.icvBytes(), key);
    }

    /** For tests of the HMAC primitives against RFC 2202 / 4231 / 4868 vectors. */
    static Icv hmac(EspInteg integ, byte[] key, CryptoProvider provider) {
        return provider == CryptoProvider.BOUNCY_CASTLE ? bcHmac(integ, key) : jceHmac(integ, key);
    }
}
