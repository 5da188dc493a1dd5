package io.causeway.ike.v2.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Identity;
import io.causeway.conf.proposal.Proposal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Real datagrams from strongSwan 5.9.8 (test resources v2/strongswan-5.9.8, README.txt there says how
 * they were captured). Decryption here uses plain JCE and the keys charon logged, only to prove that
 * the SK/SKF byte ranges this codec reports are the ones strongSwan protected.
 */
class StrongSwanCaptureTest {

    @Test
    void everyCaptureDecodesAndReEncodesByteIdentically() throws Exception {
        for (String name : Captures.ALL) {
            byte[] datagram = Captures.message(name);
            IkeMessage m = IkeMessage.decode(datagram);
            assertThat(IkeMessage.of(m.header(), m.payloads()).bytes()).as(name).isEqualTo(datagram);
            assertThat(m.bytes()).as(name).isEqualTo(datagram);
        }
    }

    @Test
    void ikeSaInitRequestWithTwoProposals() throws Exception {
        // plain-01: strongSwan 5.9.8 initiator, proposals = aes128-sha256-modp2048, aes256gcm16-prfsha384-ecp256
        IkeMessage m = IkeMessage.decode(Captures.message("plain-01-ike_sa_init-request"));
        assertThat(m.header().exchangeType()).isEqualTo(ExchangeType.IKE_SA_INIT);
        assertThat(m.header().initiator()).isTrue();
        assertThat(m.header().response()).isFalse();
        assertThat(m.header().messageId()).isZero();
        assertThat(m.header().responderSpi()).isZero();
        assertThat(m.header().initiatorSpi()).isEqualTo(0xef6e770785cdb9b6L);
        assertThat(m.payloads()).extracting(Payload::type).containsExactly(PayloadType.SA, PayloadType.KE,
                PayloadType.NONCE, PayloadType.NOTIFY, PayloadType.NOTIFY, PayloadType.NOTIFY, PayloadType.NOTIFY,
                PayloadType.NOTIFY);

        SaPayload sa = m.first(SaPayload.class).orElseThrow();
        assertThat(sa.proposals()).hasSize(2);
        List<Proposal> offered = sa.proposals().stream().map(p -> p.toConf().orElseThrow()).toList();
        assertThat(offered.get(0).toString()).isEqualTo("aes128-sha256-modp2048");
        assertThat(offered.get(1).toString()).isEqualTo("aes256gcm16-prfsha384-ecp256");
        assertThat(sa.proposals().get(0).number()).isEqualTo(1);
        assertThat(sa.proposals().get(1).number()).isEqualTo(2);

        KePayload ke = m.first(KePayload.class).orElseThrow();
        assertThat(ke.dhGroup()).isEqualTo(14);
        assertThat(ke.keyData()).hasSize(256);
        assertThat(m.first(NoncePayload.class).orElseThrow().nonce()).hasSize(32);
        assertThat(m.notifies(NotifyType.NAT_DETECTION_SOURCE_IP)).singleElement()
                .satisfies(n -> assertThat(n.data()).hasSize(20));
        assertThat(m.notifies(NotifyType.NAT_DETECTION_DESTINATION_IP)).singleElement()
                .satisfies(n -> assertThat(n.data()).hasSize(20));
        assertThat(m.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).hasSize(1);
        assertThat(m.notifies(NotifyType.SIGNATURE_HASH_ALGORITHMS)).singleElement()
                .satisfies(n -> assertThat(n.hashAlgorithms()).contains(2, 3, 4)); // SHA2-256/384/512 (RFC 7427)
        assertThat(m.notifies(NotifyType.REDIRECT_SUPPORTED)).hasSize(1);
    }

    @Test
    void ikeSaInitResponseChoosesOneProposal() throws Exception {
        IkeMessage m = IkeMessage.decode(Captures.message("plain-02-ike_sa_init-response"));
        assertThat(m.header().response()).isTrue();
        assertThat(m.header().initiator()).isFalse();
        assertThat(m.header().responderSpi()).isEqualTo(0xda54ff8ee1013669L);
        SaPayload sa = m.first(SaPayload.class).orElseThrow();
        assertThat(sa.proposals()).singleElement().satisfies(p -> {
            assertThat(p.number()).isEqualTo(1);
            assertThat(p.toConf().orElseThrow().toString()).isEqualTo("aes128-sha256-modp2048");
            assertThat(p.transformsOf(Transform.TYPE_ENCR)).singleElement()
                    .satisfies(t -> assertThat(t.keyLengthBits()).isEqualTo(128));
        });
        assertThat(m.first(KePayload.class).orElseThrow().keyData()).hasSize(256);
        assertThat(m.notifies(NotifyType.CHILDLESS_IKEV2_SUPPORTED)).hasSize(1);
        assertThat(m.notifies(NotifyType.MULTIPLE_AUTH_SUPPORTED)).hasSize(1);
        assertThat(m.notifies(NotifyType.IKEV2_FRAGMENTATION_SUPPORTED)).hasSize(1);
    }

    @Test
    void ecpKeyExchangeInGcmRun() throws Exception {
        IkeMessage m = IkeMessage.decode(Captures.message("gcmfrag-02-ike_sa_init-response"));
        KePayload ke = m.first(KePayload.class).orElseThrow();
        assertThat(ke.dhGroup()).isEqualTo(19);
        assertThat(ke.keyData()).hasSize(64);
        assertThat(m.first(SaPayload.class).orElseThrow().proposals().get(0).toConf().orElseThrow().toString())
                .isEqualTo("aes256gcm16-prfsha384-ecp256");
    }

    @Test
    void ikeAuthIsHeaderPlusSk() throws Exception {
        IkeMessage m = IkeMessage.decode(Captures.message("plain-03-ike_auth-request"));
        assertThat(m.header().exchangeType()).isEqualTo(ExchangeType.IKE_AUTH);
        assertThat(m.header().messageId()).isEqualTo(1);
        assertThat(m.payloads()).singleElement().isInstanceOf(SkPayload.class);
        assertThat(m.sk().orElseThrow().firstInnerType()).isEqualTo(PayloadType.IDI);
        assertThat(m.encryptedPayloadOffset()).isEqualTo(IkeHeader.LENGTH);
    }

    @Test
    void cbcHmacIkeAuthDecryptsWithTheReportedRanges() throws Exception {
        // AES_CBC_128 + HMAC_SHA2_256_128: IV 16, ICV 16; integrity over header..ciphertext (RFC 7296 3.14)
        Map<String, byte[]> keys = Captures.keys("plain");
        IkeMessage m = IkeMessage.decode(Captures.message("plain-03-ike_auth-request"));
        SkLayout layout = m.skLayout(16, 16);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys.get("sk_ai"), "HmacSHA256"));
        mac.update(layout.message(), 0, layout.integrityCheckedLength());
        assertThat(Arrays.copyOf(mac.doFinal(), 16)).isEqualTo(layout.icv());

        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.get("sk_ei"), "AES"), new IvParameterSpec(layout.iv()));
        byte[] plain = aes.doFinal(layout.ciphertext());
        List<Payload> inner = PayloadChain.decodeInner(m.sk().orElseThrow().firstInnerType(), plain, 0,
                SkLayout.innerLength(plain, 0, plain.length));
        assertInnerIkeAuthRequest(inner);
    }

    @Test
    void fragmentedGcmIkeAuthReassembles() throws Exception {
        // AES_GCM_16_256 (RFC 5282): key 32 + salt 4, IV 8, ICV 16; AAD = header through SKF header incl. fragment fields
        byte[] skEi = Captures.keys("gcmfrag").get("sk_ei");
        FragmentReassembler reassembler = new FragmentReassembler();
        FragmentReassembler.Outcome outcome = null;
        for (String name : List.of("gcmfrag-04-ike_auth-request", "gcmfrag-05-ike_auth-request", "gcmfrag-03-ike_auth-request")) {
            IkeMessage m = IkeMessage.decode(Captures.message(name));
            SkfPayload skf = m.skf().orElseThrow();
            assertThat(skf.totalFragments()).isEqualTo(3);
            assertThat(skf.firstInnerType()).isEqualTo(skf.fragmentNumber() == 1 ? PayloadType.IDI : PayloadType.NONE);
            byte[] plain = gcmOpen(skEi, m.skLayout(8, 16));
            outcome = reassembler.offer(m.header().messageId(), skf,
                    Arrays.copyOf(plain, SkLayout.innerLength(plain, 0, plain.length)));
        }
        assertThat(outcome).isInstanceOf(FragmentReassembler.Complete.class);
        FragmentReassembler.Complete done = (FragmentReassembler.Complete) outcome;
        assertThat(done.firstInnerType()).isEqualTo(PayloadType.IDI);
        assertInnerIkeAuthRequest(PayloadChain.decodeInner(done.firstInnerType(), done.innerChain()));
        assertThat(reassembler.inProgress()).isZero();
    }

    @Test
    void gcmResponseFragmentsStructure() throws Exception {
        IkeMessage first = IkeMessage.decode(Captures.message("gcmfrag-06-ike_auth-response"));
        IkeMessage second = IkeMessage.decode(Captures.message("gcmfrag-07-ike_auth-response"));
        assertThat(first.skf().orElseThrow().fragmentNumber()).isEqualTo(1);
        assertThat(first.skf().orElseThrow().firstInnerType()).isEqualTo(PayloadType.IDR);
        assertThat(second.skf().orElseThrow().fragmentNumber()).isEqualTo(2);
        assertThat(second.skf().orElseThrow().totalFragments()).isEqualTo(2);
        SkLayout layout = first.skLayout(8, 16);
        assertThat(layout.associatedDataLength()).isEqualTo(IkeHeader.LENGTH + 8);
        byte[] skEr = Captures.keys("gcmfrag").get("sk_er");
        byte[] plain = gcmOpen(skEr, layout);
        assertThat(SkLayout.innerLength(plain, 0, plain.length)).isPositive();
    }

    private static void assertInnerIkeAuthRequest(List<Payload> inner) throws Exception {
        // strongSwan: IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR) N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP)
        assertThat(inner).extracting(Payload::type).containsExactly(PayloadType.IDI, PayloadType.NOTIFY, PayloadType.IDR,
                PayloadType.AUTH, PayloadType.SA, PayloadType.TSI, PayloadType.TSR, PayloadType.NOTIFY, PayloadType.NOTIFY,
                PayloadType.NOTIFY, PayloadType.NOTIFY, PayloadType.NOTIFY);
        assertThat(((IdPayload) inner.get(0)).toIdentity()).contains(Identity.parse("west.example"));
        assertThat(((NotifyPayload) inner.get(1)).notifyType()).isEqualTo(NotifyType.INITIAL_CONTACT);
        assertThat(((IdPayload) inner.get(2)).toIdentity()).contains(Identity.parse("east.example"));
        assertThat(((AuthPayload) inner.get(3)).method()).isEqualTo(AuthPayload.SHARED_KEY_MIC);
        SaProposal esp = ((SaPayload) inner.get(4)).proposals().get(0);
        assertThat(esp.protocolId()).isEqualTo(SaProposal.PROTOCOL_ESP);
        assertThat(esp.spi()).hasSize(4);
        assertThat(esp.toConf().orElseThrow().toString()).isEqualTo("aes128gcm16-noesn");
        assertThat(((TrafficSelectorPayload) inner.get(5)).addressRanges().get(0).toString()).isEqualTo("10.1.0.0/24");
        assertThat(((TrafficSelectorPayload) inner.get(6)).addressRanges().get(0).toString()).isEqualTo("10.2.0.0/24");
        assertThat(((NotifyPayload) inner.get(11)).notifyType()).isEqualTo(NotifyType.IKEV2_MESSAGE_ID_SYNC_SUPPORTED);
    }

    private static byte[] gcmOpen(byte[] keyAndSalt, SkLayout layout) throws Exception {
        byte[] nonce = ByteBuffer.allocate(12).put(keyAndSalt, keyAndSalt.length - 4, 4).put(layout.iv()).array();
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyAndSalt, 0, keyAndSalt.length - 4, "AES"),
                new GCMParameterSpec(layout.icvLength() * 8, nonce));
        gcm.updateAAD(layout.message(), 0, layout.associatedDataLength());
        return gcm.doFinal(layout.message(), layout.ciphertextOffset(), layout.ciphertextLength() + layout.icvLength());
    }
}
