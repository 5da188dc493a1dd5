package io.causeway.ike.v1.crypto;

import static io.causeway.ike.v1.crypto.TestBytes.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.proposal.ProposalKind;
import io.causeway.esp.EspSuite;
import io.causeway.esp.SaKeys;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.proposal.EspSuites;
import io.causeway.ike.v1.crypto.CapturedV1Exchange.Isakmp;
import io.causeway.ike.v1.crypto.CapturedV1Exchange.Payload;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers from four IKEv1 Main Mode + Quick Mode exchanges between two strongSwan 5.9.8 charons
 * (test resources v1/strongswan-capture/, see README.txt there): the messages as sent, and what west's
 * charon logged at ike/chd level 4. The algorithms are read from the captured SA payloads, through
 * V1Hash.forId, V1Cipher.forId and V1EspAlgorithms, so the attribute numbers are checked too.
 */
class StrongSwanV1CaptureTest {
    /** The pre-shared key of every capture run (a test value, see the README). */
    private static final byte[] PSK = "causeway ikev1 test psk".getBytes(StandardCharsets.US_ASCII);
    private static final InetSocketAddress WEST = endpoint("192.0.2.1");
    private static final InetSocketAddress EAST = endpoint("192.0.2.2");

    static Stream<CapturedV1Exchange> runs() {
        return Stream.of("aes256-sha1", "3des-md5", "aes128-sha256", "aes192-sha384").map(CapturedV1Exchange::load);
    }

    private static InetSocketAddress endpoint(String ip) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), 500);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The phase-1 SA the capture negotiated, read from the initiator's (single-transform) SA payload. */
    record Phase1(V1Hash hash, V1Cipher cipher, int keyBytes, int dhGroup, int sharedSecretBytes) {
        static Phase1 of(CapturedV1Exchange x) {
            Map<Integer, Integer> t = Isakmp.firstTransform(saiBody(x));
            assertThat(t.get(3)).as("authentication method: pre-shared key").isEqualTo(1);
            V1Cipher cipher = V1Cipher.forId(t.get(1)).orElseThrow();
            int group = t.get(4);
            return new Phase1(V1Hash.forId(t.get(2)).orElseThrow(), cipher, cipher.keyBytes(t.getOrDefault(14, 0)),
                    group, group == 19 ? 32 : DhGroup.forId(group).publicValueLength());
        }
    }

    private static byte[] saiBody(CapturedV1Exchange x) {
        return Isakmp.body(Isakmp.payloads(x.get("mm1")), Isakmp.SA);
    }

    private static Phase1Keys keys(CapturedV1Exchange x, Phase1 p) {
        List<Payload> mm3 = Isakmp.payloads(x.get("mm3"));
        List<Payload> mm4 = Isakmp.payloads(x.get("mm4"));
        return Phase1Keys.derivePsk(p.hash(), PSK, Isakmp.body(mm3, Isakmp.NONCE), Isakmp.body(mm4, Isakmp.NONCE),
                x.get("g_xy"), x.cookie("cky_i"), x.cookie("cky_r"), p.keyBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void theCapturedMessagesCarryTheRecordedBodies(CapturedV1Exchange x) {
        List<Payload> mm3 = Isakmp.payloads(x.get("mm3"));
        List<Payload> mm4 = Isakmp.payloads(x.get("mm4"));
        assertSameBytes("SAi_b", x.get("sai_b"), saiBody(x));
        assertSameBytes("g^xi", x.get("gxi"), Isakmp.body(mm3, Isakmp.KE));
        assertSameBytes("g^xr", x.get("gxr"), Isakmp.body(mm4, Isakmp.KE));
        assertSameBytes("Ni_b", x.get("ni_b"), Isakmp.body(mm3, Isakmp.NONCE));
        assertSameBytes("Nr_b", x.get("nr_b"), Isakmp.body(mm4, Isakmp.NONCE));
        Phase1 p = Phase1.of(x);
        assertThat(x.get("gxi").length).isEqualTo(p.dhGroup() == 19 ? 64 : p.sharedSecretBytes());
        assertThat(x.get("g_xy").length).isEqualTo(p.sharedSecretBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void skeyidAndTheEncryptionKeyMatchCharon(CapturedV1Exchange x) {
        Phase1 p = Phase1.of(x);
        Phase1Keys k = keys(x, p);
        assertSameBytes("SKEYID", x.get("skeyid"), k.skeyid());
        assertSameBytes("SKEYID_d", x.get("skeyid_d"), k.skeyidD());
        assertSameBytes("SKEYID_a", x.get("skeyid_a"), k.skeyidA());
        assertSameBytes("SKEYID_e", x.get("skeyid_e"), k.skeyidE());
        assertSameBytes("encryption key Ka", x.get("ka"), k.encryptionKey());
        assertThat(k.encryptionKey().length).isEqualTo(p.keyBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void mainModeIvChainDecryptsMessagesFiveAndSix(CapturedV1Exchange x) {
        Phase1 p = Phase1.of(x);
        byte[] ka = keys(x, p).encryptionKey();
        byte[] iv = Phase1Hashes.phase1Iv(p.hash(), x.get("gxi"), x.get("gxr"), p.cipher().blockBytes());
        assertSameBytes("initial IV", x.get("initial_iv"), iv);
        byte[] mm5 = Isakmp.encrypted(x.get("mm5"));
        assertSameBytes("mm5 plaintext", x.get("mm5_plain"), V1MessageCipher.decrypt(p.cipher(), ka, iv, mm5));
        byte[] iv6 = V1MessageCipher.lastBlock(p.cipher(), mm5);
        assertSameBytes("IV after mm5", x.get("west_next_iv_mid0_0"), iv6);
        byte[] mm6 = Isakmp.encrypted(x.get("mm6"));
        assertSameBytes("mm6 plaintext", x.get("mm6_plain"), V1MessageCipher.decrypt(p.cipher(), ka, iv6, mm6));
        assertSameBytes("IV after mm6", x.get("west_next_iv_mid0_1"), V1MessageCipher.lastBlock(p.cipher(), mm6));
        assertReEncrypts("mm5", p.cipher(), ka, iv, x.get("mm5"), x.get("mm5_plain"));
        assertReEncrypts("mm6", p.cipher(), ka, iv6, x.get("mm6"), x.get("mm6_plain"));
    }

    /** The payloads, padded by V1MessageCipher.pad and encrypted, are the ciphertext strongSwan sent. */
    private static void assertReEncrypts(String name, V1Cipher c, byte[] key, byte[] iv, byte[] message,
                                         byte[] plain) {
        List<Payload> payloads = Isakmp.payloads(Isakmp.firstPayload(message), plain);
        byte[] unpadded = java.util.Arrays.copyOf(plain, payloads.get(payloads.size() - 1).end());
        assertSameBytes(name + " re-encrypted", Isakmp.encrypted(message),
                V1MessageCipher.encrypt(c, key, iv, V1MessageCipher.pad(c, unpadded)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void hashIAndHashRMatchCharonAndTheHashPayloads(CapturedV1Exchange x) {
        Phase1 p = Phase1.of(x);
        byte[] skeyid = keys(x, p).skeyid();
        List<Payload> mm5 = Isakmp.payloads(Isakmp.firstPayload(x.get("mm5")), x.get("mm5_plain"));
        List<Payload> mm6 = Isakmp.payloads(Isakmp.firstPayload(x.get("mm6")), x.get("mm6_plain"));
        byte[] idii = Isakmp.body(mm5, Isakmp.ID);
        byte[] idir = Isakmp.body(mm6, Isakmp.ID);
        // ID_FQDN (2), protocol 0, port 0, as charon 5.9.8 sends it in main mode
        assertThat(idii).isEqualTo(TestBytes.hex("02000000" + hexOf("west.example")));
        assertThat(idir).isEqualTo(TestBytes.hex("02000000" + hexOf("east.example")));
        long ckyI = x.cookie("cky_i");
        long ckyR = x.cookie("cky_r");
        byte[] hashI = Phase1Hashes.hashI(p.hash(), skeyid, x.get("gxi"), x.get("gxr"), ckyI, ckyR, saiBody(x), idii);
        byte[] hashR = Phase1Hashes.hashR(p.hash(), skeyid, x.get("gxr"), x.get("gxi"), ckyR, ckyI, saiBody(x), idir);
        assertSameBytes("HASH_I", x.get("hash_i"), hashI);
        assertSameBytes("HASH_I payload", Isakmp.body(mm5, Isakmp.HASH), hashI);
        assertSameBytes("HASH_R", x.get("hash_r"), hashR);
        assertSameBytes("HASH_R payload", Isakmp.body(mm6, Isakmp.HASH), hashR);
        assertSameBytes("HASH_I data", x.get("hash_i_data"), Bytes.concat(x.get("gxi"), x.get("gxr"),
                x.get("cky_i"), x.get("cky_r"), saiBody(x), idii));
        assertSameBytes("HASH_R data", x.get("hash_r_data"), Bytes.concat(x.get("gxr"), x.get("gxi"),
                x.get("cky_r"), x.get("cky_i"), saiBody(x), idir));
    }

    private static String hexOf(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void quickModeIvsHashesAndKeymatMatchCharon(CapturedV1Exchange x) {
        Phase1 p = Phase1.of(x);
        Phase1Keys k = keys(x, p);
        V1Cipher c = p.cipher();
        byte[] lastPhase1Block = V1MessageCipher.lastBlock(c, Isakmp.encrypted(x.get("mm6")));
        int mid = Isakmp.messageId(x.get("qm1"));
        assertThat(mid).isEqualTo(x.int32("qm_mid"));
        byte[] iv = Phase1Hashes.phase2Iv(p.hash(), lastPhase1Block, mid, c.blockBytes());
        assertSameBytes("quick mode IV", x.get("west_next_iv_qm_0"), iv);
        byte[][] plain = new byte[3][];
        for (int i = 0; i < 3; i++) {
            byte[] ct = Isakmp.encrypted(x.get("qm" + (i + 1)));
            assertThat(Isakmp.messageId(x.get("qm" + (i + 1)))).isEqualTo(mid);
            plain[i] = V1MessageCipher.decrypt(c, k.encryptionKey(), iv, ct);
            assertSameBytes("qm" + (i + 1) + " plaintext", x.get("qm" + (i + 1) + "_plain"), plain[i]);
            assertReEncrypts("qm" + (i + 1), c, k.encryptionKey(), iv, x.get("qm" + (i + 1)), plain[i]);
            iv = V1MessageCipher.lastBlock(c, ct);
            assertSameBytes("IV after qm" + (i + 1), x.get("west_next_iv_qm_" + (i + 1)), iv);
        }
        List<Payload> qm1 = Isakmp.payloads(Isakmp.HASH, plain[0]);
        List<Payload> qm2 = Isakmp.payloads(Isakmp.HASH, plain[1]);
        List<Payload> qm3 = Isakmp.payloads(Isakmp.HASH, plain[2]);
        byte[] ni = Isakmp.body(qm1, Isakmp.NONCE);
        byte[] nr = Isakmp.body(qm2, Isakmp.NONCE);
        byte[] a = k.skeyidA();
        byte[] h1 = QuickModeHashes.hash1(p.hash(), a, mid, Isakmp.afterHash(qm1, plain[0]));
        byte[] h2 = QuickModeHashes.hash2(p.hash(), a, mid, ni, Isakmp.afterHash(qm2, plain[1]));
        byte[] h3 = QuickModeHashes.hash3(p.hash(), a, mid, ni, nr);
        assertSameBytes("HASH(1)", x.get("hash1"), h1);
        assertSameBytes("HASH(1) payload", Isakmp.body(qm1, Isakmp.HASH), h1);
        assertSameBytes("HASH(2)", x.get("hash2"), h2);
        assertSameBytes("HASH(2) payload", Isakmp.body(qm2, Isakmp.HASH), h2);
        assertSameBytes("HASH(3)", x.get("hash3"), h3);
        assertSameBytes("HASH(3) payload", Isakmp.body(qm3, Isakmp.HASH), h3);
        assertThat(qm3).hasSize(1);

        // KEYMAT, RFC 2409 5.5: the SA towards the responder is keyed with the responder's SPI
        EspSuite suite = espSuite(Isakmp.body(qm2, Isakmp.SA));
        int spiI = Isakmp.firstSpi(Isakmp.body(qm1, Isakmp.SA));
        int spiR = Isakmp.firstSpi(Isakmp.body(qm2, Isakmp.SA));
        assertThat(spiI).isEqualTo(x.int32("esp_spi_i"));
        assertThat(spiR).isEqualTo(x.int32("esp_spi_r"));
        boolean pfs = qm1.stream().anyMatch(pl -> pl.type() == Isakmp.KE);
        assertThat(x.has("qm_g_xy")).isEqualTo(pfs);
        byte[] gxy = pfs ? x.get("qm_g_xy") : null;
        byte[] proto = {(byte) V1EspAlgorithms.PROTO_IPSEC_ESP};
        byte[] pfsPart = pfs ? gxy : new byte[0];
        assertSameBytes("initiator SA seed", x.get("initiator_sa_seed"),
                Bytes.concat(pfsPart, proto, Bytes.of(spiR), ni, nr));
        assertSameBytes("responder SA seed", x.get("responder_sa_seed"),
                Bytes.concat(pfsPart, proto, Bytes.of(spiI), ni, nr));
        SaKeys iToR = Keymat.espKeys(p.hash(), k.skeyidD(), gxy, spiR, ni, nr, suite);
        SaKeys rToI = Keymat.espKeys(p.hash(), k.skeyidD(), gxy, spiI, ni, nr, suite);
        assertSameBytes("encryption initiator key", x.get("encr_i"), iToR.encKey());
        assertSameBytes("encryption responder key", x.get("encr_r"), rToI.encKey());
        if (suite.aead()) {
            assertThat(x.has("integ_i")).isFalse();
            assertThat(iToR.integKey().length).isZero();
            assertThat(iToR.encKey().length).isEqualTo(suite.keyBits() / 8 + 4);
        } else {
            assertSameBytes("integrity initiator key", x.get("integ_i"), iToR.integKey());
            assertSameBytes("integrity responder key", x.get("integ_r"), rToI.integKey());
        }
        byte[] keymat = Keymat.derive(p.hash(), k.skeyidD(), gxy, 3, spiR, ni, nr, Keymat.bytesFor(suite));
        assertThat(Keymat.espKeys(suite, keymat)).isEqualTo(iToR);
    }

    /** The ESP suite of the responder's chosen transform, through V1EspAlgorithms and the IKEv2 EspSuites. */
    private static EspSuite espSuite(byte[] saBody) {
        Map<Integer, Integer> t = Isakmp.firstTransform(saBody);
        Algorithm encr = V1EspAlgorithms.encryption(t.get(-1), t.getOrDefault(6, 0)).orElseThrow();
        List<Algorithm> integ = t.containsKey(5) ? List.of(V1EspAlgorithms.integrity(t.get(5)).orElseThrow())
                : List.of();
        return EspSuites.of(Proposal.of(ProposalKind.ESP, List.of(encr), integ, List.of(), List.of(),
                List.of(Algorithms.named("noesn"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void informationalDeletesDecryptAndCarryTheirHash(CapturedV1Exchange x) {
        Phase1 p = Phase1.of(x);
        Phase1Keys k = keys(x, p);
        byte[] lastPhase1Block = V1MessageCipher.lastBlock(p.cipher(), Isakmp.encrypted(x.get("mm6")));
        for (String name : new String[] {"info_delete_esp", "info_delete_ike"}) {
            byte[] message = x.get(name);
            int mid = Isakmp.messageId(message);
            byte[] iv = Phase1Hashes.phase2Iv(p.hash(), lastPhase1Block, mid, p.cipher().blockBytes());
            byte[] plain = V1MessageCipher.decrypt(p.cipher(), k.encryptionKey(), iv, Isakmp.encrypted(message));
            assertSameBytes(name + " plaintext", x.get(name + "_plain"), plain);
            assertReEncrypts(name, p.cipher(), k.encryptionKey(), iv, message, plain);
            List<Payload> payloads = Isakmp.payloads(Isakmp.firstPayload(message), plain);
            byte[] hash = QuickModeHashes.informational(p.hash(), k.skeyidA(), mid, Isakmp.afterHash(payloads, plain));
            assertSameBytes(name + " HASH", x.get("hash_" + name), hash);
            assertSameBytes(name + " HASH payload", Isakmp.body(payloads, Isakmp.HASH), hash);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void natDetectionHashesMatchCharon(CapturedV1Exchange x) {
        V1Hash h = Phase1.of(x).hash();
        long ckyI = x.cookie("cky_i");
        long ckyR = x.cookie("cky_r");
        // west hashes east's address first (the NAT-D of the peer), as RFC 3947 3.2 orders them
        assertSameBytes("natd chunk", x.get("west_natd_chunk_0"),
                Bytes.concat(x.get("cky_i"), x.get("cky_r"), TestBytes.hex("c0000202 01f4")));
        assertSameBytes("west's NAT-D of east", x.get("west_natd_hash_0"), NatDetectionV1.hash(h, ckyI, ckyR, EAST));
        assertSameBytes("mm3 NAT-D 1", x.get("natd_mm3_1"), NatDetectionV1.hash(h, ckyI, ckyR, EAST));
        assertSameBytes("mm4 NAT-D 1", x.get("natd_mm4_1"), NatDetectionV1.hash(h, ckyI, ckyR, WEST));
        assertThat(NatDetectionV1.matches(x.get("natd_mm4_1"), h, ckyI, ckyR, WEST)).isTrue();
        // the second NAT-D of each side is random: charon fakes a NAT to force UDP encapsulation, which
        // its kernel-libipsec backend needs (see README.txt)
        for (String faked : new String[] {"natd_mm3_2", "natd_mm4_2"}) {
            assertThat(NatDetectionV1.matches(x.get(faked), h, ckyI, ckyR, WEST)).isFalse();
            assertThat(NatDetectionV1.matches(x.get(faked), h, ckyI, ckyR, EAST)).isFalse();
        }
    }
}
