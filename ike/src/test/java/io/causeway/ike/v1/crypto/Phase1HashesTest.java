package io.causeway.ike.v1.crypto;

import static io.causeway.ike.v1.crypto.Phase1KeysTest.jdkHmac;
import static io.causeway.ike.v1.crypto.TestBytes.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Phase-1 and quick mode hashes, IVs, NAT-D and the CBC helper, each written out from its RFC formula
 * with the JDK's digests and HMAC; the strongSwan capture test checks the same against real exchanges.
 */
class Phase1HashesTest {
    private static final byte[] SKEYID = TestBytes.hex("5e".repeat(32));
    private static final byte[] GXI = TestBytes.hex("01".repeat(128));
    private static final byte[] GXR = TestBytes.hex("02".repeat(128));
    private static final byte[] SAI = TestBytes.hex("00000001 00000001 00000008 01010000");
    private static final byte[] ID = TestBytes.hex("02000000 6d6f6f6e");

    private static byte[] jdkHash(String name, byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance(name);
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    @Test
    void hashIAndHashRSwapTheDhValuesAndCookiesButNotSaiB() {
        byte[] cookies = TestBytes.hex("0102030405060708 1112131415161718");
        byte[] i = Phase1Hashes.hashI(V1Hash.SHA2_256, SKEYID, GXI, GXR, 0x0102030405060708L, 0x1112131415161718L,
                SAI, ID);
        assertSameBytes("HASH_I", jdkHmac(V1Hash.SHA2_256, SKEYID, GXI, GXR, cookies, SAI, ID), i);
        byte[] r = Phase1Hashes.hashR(V1Hash.SHA2_256, SKEYID, GXR, GXI, 0x1112131415161718L, 0x0102030405060708L,
                SAI, ID);
        assertSameBytes("HASH_R", jdkHmac(V1Hash.SHA2_256, SKEYID, GXR, GXI,
                TestBytes.hex("1112131415161718 0102030405060708"), SAI, ID), r);
    }

    @Test
    void ivsAreTruncatedPlainHashes() throws Exception {
        assertSameBytes("phase-1 IV", Arrays.copyOf(jdkHash("SHA-1", GXI, GXR), 16),
                Phase1Hashes.phase1Iv(V1Hash.SHA1, GXI, GXR, 16));
        assertSameBytes("phase-1 IV, 3DES", Arrays.copyOf(jdkHash("MD5", GXI, GXR), 8),
                Phase1Hashes.phase1Iv(V1Hash.MD5, GXI, GXR, 8));
        byte[] last = TestBytes.hex("00112233445566778899aabbccddeeff");
        assertSameBytes("phase-2 IV", Arrays.copyOf(jdkHash("SHA-256", last, TestBytes.hex("deadbeef")), 16),
                Phase1Hashes.phase2Iv(V1Hash.SHA2_256, last, 0xdeadbeef, 16));
        assertThatThrownBy(() -> Phase1Hashes.phase1Iv(V1Hash.MD5, GXI, GXR, 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quickModeHashesFollowRfc2409Section55() {
        byte[] a = TestBytes.hex("a5".repeat(20));
        byte[] mid = TestBytes.hex("7f000001");
        byte[] ni = TestBytes.hex("c1".repeat(16));
        byte[] nr = TestBytes.hex("c2".repeat(24));
        byte[] rest = TestBytes.hex("0a000010 00000001 00000001 00000000");
        assertSameBytes("HASH(1)", jdkHmac(V1Hash.SHA1, a, mid, rest),
                QuickModeHashes.hash1(V1Hash.SHA1, a, 0x7f000001, rest));
        assertSameBytes("HASH(2)", jdkHmac(V1Hash.SHA1, a, mid, ni, rest),
                QuickModeHashes.hash2(V1Hash.SHA1, a, 0x7f000001, ni, rest));
        assertSameBytes("HASH(3)", jdkHmac(V1Hash.SHA1, a, new byte[] {0}, mid, ni, nr),
                QuickModeHashes.hash3(V1Hash.SHA1, a, 0x7f000001, ni, nr));
        assertSameBytes("informational HASH(1)", jdkHmac(V1Hash.SHA1, a, mid, rest),
                QuickModeHashes.informational(V1Hash.SHA1, a, 0x7f000001, rest));
    }

    @Test
    void natDetectionHashesAddressAndPortWithThePlainHash() throws Exception {
        byte[] cookies = TestBytes.hex("0102030405060708 0000000000000000");
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 4500);
        assertSameBytes("IPv4 NAT-D", jdkHash("SHA-256", cookies, TestBytes.hex("c6336407 1194")),
                NatDetectionV1.hash(V1Hash.SHA2_256, 0x0102030405060708L, 0, v4));
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 500);
        assertSameBytes("IPv6 NAT-D", jdkHash("MD5", cookies,
                TestBytes.hex("20010db8000000000000000000000001 01f4")),
                NatDetectionV1.hash(V1Hash.MD5, 0x0102030405060708L, 0, v6));
        assertThat(NatDetectionV1.matches(new byte[3], V1Hash.MD5, 1, 2, v6)).isFalse();
        assertThatThrownBy(() -> NatDetectionV1.hash(V1Hash.SHA1, 1, 2,
                InetSocketAddress.createUnresolved("example.org", 500))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cbcRoundTripsWithZeroPaddingAndChainsOnTheLastBlock() {
        byte[] payloads = TestBytes.hex("0b000018" + "00".repeat(20) + "00000008deadbeef");
        for (V1Cipher c : V1Cipher.values()) {
            byte[] key = new byte[c.keyBytes(c.variableKeyLength() ? 256 : 0)];
            Arrays.fill(key, (byte) 0x42);
            byte[] iv = new byte[c.blockBytes()];
            byte[] padded = V1MessageCipher.pad(c, payloads);
            assertThat(padded.length % c.blockBytes()).isZero();
            assertThat(padded.length - payloads.length).isBetween(1, c.blockBytes());
            byte[] ct = V1MessageCipher.encrypt(c, key, iv, padded);
            assertSameBytes(c + " round trip", padded, V1MessageCipher.decrypt(c, key, iv, ct));
            assertSameBytes(c + " last block", Arrays.copyOfRange(ct, ct.length - c.blockBytes(), ct.length),
                    V1MessageCipher.lastBlock(c, ct));
            assertThatThrownBy(() -> V1MessageCipher.decrypt(c, key, iv, Arrays.copyOf(ct, ct.length - 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> V1MessageCipher.encrypt(c, new byte[5], iv, padded))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(V1MessageCipher.pad(V1Cipher.AES_CBC, new byte[32])).hasSize(48); // a whole block, as strongSwan
        assertThat(V1MessageCipher.pad(V1Cipher.TRIPLE_DES_CBC, new byte[33])).hasSize(40);
    }
}
