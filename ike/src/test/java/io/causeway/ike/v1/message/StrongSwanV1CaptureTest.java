package io.causeway.ike.v1.message;

import static io.causeway.ike.v1.message.V1Captures.concat;
import static io.causeway.ike.v1.message.V1Captures.hex;
import static io.causeway.ike.v1.message.V1Captures.hmacSha1;
import static io.causeway.ike.v1.message.V1Captures.keys;
import static io.causeway.ike.v1.message.V1Captures.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.conf.net.Subnet;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Known answers from two strongSwan 5.9.8 charons (resources v1/strongswan-5.9.8, README.txt there):
 * what the configuration implies must be in the decoded messages, re-encoding must give the captured
 * octets, and with the keys charon logged the encrypted messages decrypt, re-encrypt to the same
 * octets and authenticate (HASH_I/HASH_R, quick mode and informational HASHes over the wire octets).
 */
class StrongSwanV1CaptureTest {
    private static final byte[] MM_COOKIES = hex("66afa9328c908fb8a4ccdd44a7e4f8f5");

    @Test
    void mainModeOneIsTheConfiguredProposalAndVendorIds() throws Exception {
        V1Message m = V1Message.decodePlain(message("main", 1));
        IsakmpHeader h = m.header();
        assertThat(h.initiatorCookie()).isEqualTo(0x66afa9328c908fb8L);
        assertThat(h.responderCookie()).isZero();
        assertThat(h.exchangeType()).isEqualTo(V1ExchangeType.IDENTITY_PROTECTION);
        assertThat(h.flags()).isZero();
        assertThat(h.messageId()).isZero();
        assertThat(h.length()).isEqualTo(200);
        assertThat(m.payloads()).extracting(DecodedPayload1::type).containsExactly(V1PayloadType.SA,
                V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID,
                V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID);

        SaPayload1 sa = m.first(SaPayload1.class).orElseThrow();
        assertThat(sa.doi()).isEqualTo(SaPayload1.DOI_IPSEC);
        assertThat(sa.situation()).isEqualTo(SaPayload1.SIT_IDENTITY_ONLY);
        assertThat(sa.proposals()).hasSize(1);
        ProposalPayload1 p = sa.proposals().get(0);
        assertThat(p.number()).isEqualTo(1);
        assertThat(p.protocolId()).isEqualTo(ProposalPayload1.PROTO_ISAKMP);
        assertThat(p.spi()).isEmpty();
        assertThat(p.transforms()).hasSize(1);
        TransformPayload1 t = p.transforms().get(0);
        assertThat(t.transformId()).isEqualTo(TransformPayload1.KEY_IKE);
        // aes128-sha1-modp2048 with PSK; lifetime is strongSwan's rekey_time + over_time default
        assertThat(t.number(IkeAttributes.ENCRYPTION_ALGORITHM)).contains((long) IkeAttributes.ENCR_AES_CBC);
        assertThat(t.number(IkeAttributes.KEY_LENGTH)).contains(128L);
        assertThat(t.number(IkeAttributes.HASH_ALGORITHM)).contains((long) IkeAttributes.HASH_SHA1);
        assertThat(t.number(IkeAttributes.GROUP_DESCRIPTION)).contains(14L);
        assertThat(t.number(IkeAttributes.AUTHENTICATION_METHOD)).contains((long) IkeAttributes.AUTH_PSK);
        assertThat(t.number(IkeAttributes.LIFE_TYPE)).contains((long) IkeAttributes.LIFE_SECONDS);
        assertThat(t.number(IkeAttributes.LIFE_DURATION)).contains(15840L);
        assertThat(t.attributes()).allMatch(Attribute1::basic);

        assertThat(m.all(VendorIdPayload1.class)).extracting(v -> v.knownName().orElse("?")).containsExactly(
                "strongSwan", "XAuth", "DPD", "FRAGMENTATION", "NAT-T (RFC 3947)", "draft-ietf-ipsec-nat-t-ike-02\\n");
        assertThat(m.all(VendorIdPayload1.class)).contains(KnownVendorIds.STRONGSWAN, KnownVendorIds.XAUTH,
                KnownVendorIds.DPD, KnownVendorIds.FRAGMENTATION, KnownVendorIds.NATT_RFC3947, KnownVendorIds.NATT_DRAFT_02_N);
        // the responder answers with one NAT-T id, the best it shares
        V1Message m2 = V1Message.decodePlain(message("main", 2));
        assertThat(m2.all(VendorIdPayload1.class).stream().filter(v -> KnownVendorIds.isNatT(v.data()))).hasSize(1);
        assertThat(m2.first(SaPayload1.class)).contains(sa);
    }

    @Test
    void mainModeThreeAndFourCarryKeNonceAndTwoNatD() throws Exception {
        for (int i : new int[] {3, 4}) {
            V1Message m = V1Message.decodePlain(message("main", i));
            assertThat(m.payloads()).extracting(DecodedPayload1::type).containsExactly(V1PayloadType.KE, V1PayloadType.NONCE,
                    V1PayloadType.NAT_D, V1PayloadType.NAT_D);
            assertThat(m.first(KePayload1.class).orElseThrow().keyExchangeData()).hasSize(256); // MODP_2048
            assertThat(m.first(NoncePayload1.class).orElseThrow().nonce()).hasSize(32);
            assertThat(m.all(NatDPayload1.class)).hasSize(2).allMatch(n -> n.hash().length == 20);
        }
        // RFC 3947 3.2: the first NAT-D is HASH(CKY-I | CKY-R | IP | port) of the destination, east 192.0.2.2:500
        byte[] expected = V1Captures.sha1(concat(MM_COOKIES, hex("c0000202"), hex("01f4")));
        assertThat(V1Message.decodePlain(message("main", 3)).all(NatDPayload1.class).get(0).hash()).isEqualTo(expected);
        assertThat(NatDPayload1.compute(V1PayloadType.NAT_D, V1Captures::sha1, 0x66afa9328c908fb8L, 0xa4ccdd44a7e4f8f5L,
                java.net.InetAddress.getByName("192.0.2.2"), 500).hash()).isEqualTo(expected);
        // and the responder's first NAT-D is west's address, 192.0.2.1:500
        assertThat(V1Message.decodePlain(message("main", 4)).all(NatDPayload1.class).get(0)).isEqualTo(NatDPayload1.compute(
                V1PayloadType.NAT_D, V1Captures::sha1, 0x66afa9328c908fb8L, 0xa4ccdd44a7e4f8f5L,
                java.net.InetAddress.getByName("192.0.2.1"), 500));
    }

    @Test
    void aggressiveModeOneAndTwo() throws Exception {
        V1Message a1 = V1Message.decodePlain(message("aggr", 1));
        assertThat(a1.header().exchangeType()).isEqualTo(V1ExchangeType.AGGRESSIVE);
        assertThat(a1.payloads()).extracting(DecodedPayload1::type).startsWith(V1PayloadType.SA, V1PayloadType.KE,
                V1PayloadType.NONCE, V1PayloadType.ID);
        IdPayload1 id = a1.first(IdPayload1.class).orElseThrow();
        assertThat(id.idType()).isEqualTo(IdPayload1.ID_FQDN);
        assertThat(id.text()).contains("west.example");
        assertThat(a1.all(VendorIdPayload1.class)).hasSize(6);
        assertThat(a1.all(NatDPayload1.class)).isEmpty();

        V1Message a2 = V1Message.decodePlain(message("aggr", 2));
        assertThat(a2.payloads()).extracting(DecodedPayload1::type).containsExactly(V1PayloadType.SA, V1PayloadType.KE,
                V1PayloadType.NONCE, V1PayloadType.ID, V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID,
                V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID, V1PayloadType.VENDOR_ID, V1PayloadType.NAT_D,
                V1PayloadType.NAT_D, V1PayloadType.HASH);
        assertThat(a2.first(IdPayload1.class).orElseThrow().text()).contains("east.example");
        assertThat(a2.first(HashPayload1.class).orElseThrow().hash()).hasSize(20);
    }

    @Test
    void everyPlainCaptureReEncodesByteForByte() throws Exception {
        int plain = 0;
        for (String name : V1Captures.ALL) {
            byte[] datagram = message(name);
            if (IsakmpHeader.decode(datagram).encrypted()) {
                continue;
            }
            V1Message m = V1Message.decodePlain(datagram);
            assertThat(V1Message.encode(m.header(), m.payloadList())).as(name).isEqualTo(datagram);
            assertThat(V1PayloadChain.wireBytesAfter(m.payloads(), -1)).as(name)
                    .isEqualTo(java.util.Arrays.copyOfRange(datagram, IsakmpHeader.LENGTH, datagram.length));
            for (DecodedPayload1 d : m.payloads()) {
                assertThat(V1PayloadChain.encodeOne(d.payload(), d.nextPayload())).as(name).isEqualTo(d.wire());
            }
            plain++;
        }
        assertThat(plain).isEqualTo(4 + 2 + 18 + 4); // main 1-4, aggressive 1-2, 18 fragment messages, dpd run 1-4
    }

    @Test
    void mainModeFiveAndSixDecryptWithTheLoggedKeyAndAuthenticate() throws Exception {
        Map<String, byte[]> k = keys("main");
        CbcCipher aes = JceCbcCipher.aes(k.get("ka"));
        assertThat(k.get("ka")).isEqualTo(java.util.Arrays.copyOf(k.get("skeyid_e"), 16));

        byte[] mm5 = message("main", 5);
        V1Encryption.Decrypted d5 = V1Encryption.decrypt(mm5, aes, k.get("phase1_iv"));
        assertThat(d5.header().encrypted()).isTrue();
        assertThat(d5.payloads()).extracting(DecodedPayload1::type).containsExactly(V1PayloadType.ID, V1PayloadType.HASH,
                V1PayloadType.NOTIFY);
        IdPayload1 idii = d5.message().first(IdPayload1.class).orElseThrow();
        assertThat(idii.text()).contains("west.example");
        NotifyPayload1 contact = d5.message().notify(NotifyPayload1.INITIAL_CONTACT).orElseThrow();
        assertThat(contact.protocolId()).isEqualTo(ProposalPayload1.PROTO_ISAKMP);
        assertThat(contact.spi()).isEqualTo(MM_COOKIES);
        // the last ciphertext block is the IV charon used next
        assertThat(d5.lastCipherBlock()).isEqualTo(k.get("first_iv_mid_0"));
        assertThat(V1Encryption.lastCipherBlock(mm5, 16)).isEqualTo(d5.lastCipherBlock());
        // zero padding like strongSwan's: encrypting the decoded payloads again gives the same datagram
        assertThat(V1Encryption.encrypt(d5.header(), d5.message().payloadList(), aes, k.get("phase1_iv"))).isEqualTo(mm5);

        byte[] mm6 = message("main", 6);
        V1Encryption.Decrypted d6 = V1Encryption.decrypt(mm6, aes, d5.lastCipherBlock());
        assertThat(d6.message().first(IdPayload1.class).orElseThrow().text()).contains("east.example");
        assertThat(V1Encryption.encrypt(d6.header(), d6.message().payloadList(), aes, d5.lastCipherBlock())).isEqualTo(mm6);

        // RFC 2409 5: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b), bodies as received
        V1Message mm1 = V1Message.decodePlain(message("main", 1));
        byte[] gxi = V1Message.decodePlain(message("main", 3)).first(KePayload1.class).orElseThrow().keyExchangeData();
        byte[] gxr = V1Message.decodePlain(message("main", 4)).first(KePayload1.class).orElseThrow().keyExchangeData();
        byte[] saib = mm1.decoded(V1PayloadType.SA).orElseThrow().body();
        assertThat(V1PayloadChain.body(mm1.first(SaPayload1.class).orElseThrow())).isEqualTo(saib);
        byte[] ckyI = java.util.Arrays.copyOf(MM_COOKIES, 8);
        byte[] ckyR = java.util.Arrays.copyOfRange(MM_COOKIES, 8, 16);
        byte[] hashI = hmacSha1(k.get("skeyid"), gxi, gxr, ckyI, ckyR, saib,
                d5.message().decoded(V1PayloadType.ID).orElseThrow().body());
        assertThat(d5.message().first(HashPayload1.class).orElseThrow().hash()).isEqualTo(hashI);
        byte[] hashR = hmacSha1(k.get("skeyid"), gxr, gxi, ckyR, ckyI, saib,
                d6.message().decoded(V1PayloadType.ID).orElseThrow().body());
        assertThat(d6.message().first(HashPayload1.class).orElseThrow().hash()).isEqualTo(hashR);
    }

    @Test
    void quickModeAndInformationalDecryptWithPhase2IvsAndTheirHashesCoverTheWireOctets() throws Exception {
        Map<String, byte[]> k = keys("main");
        CbcCipher aes = JceCbcCipher.aes(k.get("ka"));
        byte[] lastPhase1Block = V1Encryption.lastCipherBlock(message("main", 6), 16);
        Map<Integer, IvChain> chains = new HashMap<>();
        Map<Integer, V1Message> decrypted = new HashMap<>();
        for (int i = 7; i <= 11; i++) {
            byte[] datagram = message("main", i);
            int mid = IsakmpHeader.decode(datagram).messageId();
            IvChain chain = chains.computeIfAbsent(mid, m -> {
                byte[] iv = IvChain.phase2Iv(V1Captures::sha1, lastPhase1Block, m, 16);
                assertThat(iv).isEqualTo(k.get("first_iv_mid_" + Integer.toUnsignedLong(m)));
                return new IvChain(iv);
            });
            byte[] iv = chain.current();
            V1Encryption.Decrypted d = V1Encryption.decrypt(datagram, aes, iv);
            assertThat(V1Encryption.encrypt(d.header(), d.message().payloadList(), aes, iv)).as("message " + i)
                    .isEqualTo(datagram);
            chain.advance(d.lastCipherBlock());
            decrypted.put(i, d.message());
        }
        V1Message qm1 = decrypted.get(7);
        V1Message qm2 = decrypted.get(8);
        V1Message qm3 = decrypted.get(9);
        assertThat(qm1.header().exchangeType()).isEqualTo(V1ExchangeType.QUICK_MODE);
        assertThat(qm1.payloads()).extracting(DecodedPayload1::type).containsExactly(V1PayloadType.HASH, V1PayloadType.SA,
                V1PayloadType.NONCE, V1PayloadType.KE, V1PayloadType.ID, V1PayloadType.ID);
        ProposalPayload1 esp = qm1.first(SaPayload1.class).orElseThrow().proposals().get(0);
        assertThat(esp.protocolId()).isEqualTo(ProposalPayload1.PROTO_IPSEC_ESP);
        assertThat(esp.spi()).hasSize(4);
        TransformPayload1 t = esp.transforms().get(0);
        assertThat(t.transformId()).isEqualTo(IpsecAttributes.ESP_AES_CBC);
        assertThat(t.number(IpsecAttributes.KEY_LENGTH)).contains(128L);
        assertThat(t.number(IpsecAttributes.AUTHENTICATION_ALGORITHM)).contains((long) IpsecAttributes.AUTH_HMAC_SHA1);
        assertThat(t.number(IpsecAttributes.GROUP_DESCRIPTION)).contains(14L); // PFS
        assertThat(t.number(IpsecAttributes.ENCAPSULATION_MODE)).contains((long) IpsecAttributes.MODE_UDP_TUNNEL);
        assertThat(t.number(IpsecAttributes.SA_LIFE_TYPE)).contains((long) IpsecAttributes.LIFE_SECONDS);
        assertThat(t.number(IpsecAttributes.SA_LIFE_DURATION)).contains(3960L);
        List<IdPayload1> ids = qm1.all(IdPayload1.class);
        assertThat(ids).extracting(IdPayload1::idType).containsOnly(IdPayload1.ID_IPV4_ADDR_SUBNET);
        assertThat(ids.get(0).asSubnet()).contains(Subnet.parse("10.1.0.0/24"));
        assertThat(ids.get(1).asSubnet()).contains(Subnet.parse("10.2.0.0/24"));
        assertThat(IdPayload1.ofSubnet(Subnet.parse("10.1.0.0/24"), 0, 0)).isEqualTo(ids.get(0));

        // RFC 2409 5.5: HASH(1) = prf(SKEYID_a, M-ID | everything after HASH), HASH(2) adds Ni_b first,
        // HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
        byte[] skeyidA = k.get("skeyid_a");
        byte[] mid = ByteBuffer.allocate(4).putInt(qm1.header().messageId()).array();
        assertThat(qm1.payloads().get(0).type()).isEqualTo(V1PayloadType.HASH);
        assertThat(qm1.first(HashPayload1.class).orElseThrow().hash())
                .isEqualTo(hmacSha1(skeyidA, mid, qm1.wireBytesAfter(0)));
        byte[] nib = qm1.decoded(V1PayloadType.NONCE).orElseThrow().body();
        byte[] nrb = qm2.decoded(V1PayloadType.NONCE).orElseThrow().body();
        assertThat(qm2.first(HashPayload1.class).orElseThrow().hash())
                .isEqualTo(hmacSha1(skeyidA, mid, nib, qm2.wireBytesAfter(0)));
        assertThat(qm3.first(HashPayload1.class).orElseThrow().hash())
                .isEqualTo(hmacSha1(skeyidA, new byte[1], mid, nib, nrb));

        // RFC 2409 5.7: informational HASH(1) = prf(SKEYID_a, M-ID | N/D)
        for (int i : new int[] {10, 11}) {
            V1Message info = decrypted.get(i);
            assertThat(info.header().exchangeType()).isEqualTo(V1ExchangeType.INFORMATIONAL);
            byte[] infoMid = ByteBuffer.allocate(4).putInt(info.header().messageId()).array();
            assertThat(info.first(HashPayload1.class).orElseThrow().hash())
                    .isEqualTo(hmacSha1(skeyidA, infoMid, info.wireBytesAfter(0)));
        }
        DeletePayload1 deleteEsp = decrypted.get(10).first(DeletePayload1.class).orElseThrow();
        assertThat(deleteEsp.protocolId()).isEqualTo(ProposalPayload1.PROTO_IPSEC_ESP);
        assertThat(deleteEsp.spis()).containsExactly(esp.spi());
        DeletePayload1 deleteIsakmp = decrypted.get(11).first(DeletePayload1.class).orElseThrow();
        assertThat(deleteIsakmp).isEqualTo(DeletePayload1.isakmp(0x66afa9328c908fb8L, 0xa4ccdd44a7e4f8f5L));
    }

    @Test
    void aggressiveModeThreeAndQuickModeDecrypt() throws Exception {
        Map<String, byte[]> k = keys("aggr");
        CbcCipher aes = JceCbcCipher.aes(k.get("ka"));
        V1Encryption.Decrypted a3 = V1Encryption.decrypt(message("aggr", 3), aes, k.get("phase1_iv"));
        assertThat(a3.payloads()).extracting(DecodedPayload1::type).containsExactly(V1PayloadType.HASH, V1PayloadType.NAT_D,
                V1PayloadType.NAT_D);
        assertThat(a3.lastCipherBlock()).isEqualTo(k.get("first_iv_mid_0"));
        byte[] qm1 = message("aggr", 4);
        int mid = IsakmpHeader.decode(qm1).messageId();
        byte[] iv = IvChain.phase2Iv(V1Captures::sha1, a3.lastCipherBlock(), mid, 16);
        assertThat(iv).isEqualTo(k.get("first_iv_mid_" + Integer.toUnsignedLong(mid)));
        V1Message q = V1Encryption.decrypt(qm1, aes, iv).message();
        assertThat(q.all(IdPayload1.class)).hasSize(2);
    }

    @Test
    void strongSwanFragmentsReassembleAndOurFragmenterReproducesThem() throws Exception {
        // frames 1-2: main mode 1; 13-16: quick mode 1 (encrypted, then fragmented); 17-20: quick mode 2
        int[][] groups = {{1, 2}, {3, 4}, {5, 6, 7}, {8, 9, 10}, {13, 14, 15, 16}, {17, 18, 19, 20}};
        Map<String, byte[]> k = keys("frag");
        for (int[] group : groups) {
            V1FragmentReassembler reassembler = new V1FragmentReassembler();
            V1FragmentReassembler.Outcome outcome = null;
            long cookie = 0;
            for (int n : group) {
                V1Message fragment = V1Message.decodePlain(message("frag", n));
                assertThat(fragment.header().nextPayload()).isEqualTo(V1PayloadType.FRAGMENT);
                assertThat(fragment.header().messageId()).isZero();
                assertThat(fragment.header().flags()).isZero();
                assertThat(fragment.header().exchangeType()).isEqualTo(V1ExchangeType.IDENTITY_PROTECTION);
                FragmentPayload1 f = fragment.first(FragmentPayload1.class).orElseThrow();
                assertThat(f.fragmentId()).isEqualTo(1);
                assertThat(f.last()).isEqualTo(n == group[group.length - 1]);
                cookie = fragment.header().initiatorCookie();
                outcome = reassembler.offer(f);
            }
            assertThat(outcome).isInstanceOf(V1FragmentReassembler.Complete.class);
            byte[] datagram = ((V1FragmentReassembler.Complete) outcome).datagram();
            IsakmpHeader inner = IsakmpHeader.decode(datagram);
            assertThat(inner.initiatorCookie()).isEqualTo(cookie);
            assertThat(inner.length()).isEqualTo(datagram.length);
            if (!inner.encrypted()) {
                assertThat(V1Message.decodePlain(datagram).payloads()).isNotEmpty();
            }
            // fragment_size 200 is the IP datagram: minus IP and UDP headers, and on port 4500 the non-ESP marker
            int max = group[0] < 11 ? 200 - 28 : 200 - 28 - 4;
            List<byte[]> ours = V1Fragmenter.split(datagram, max, 1);
            assertThat(ours).hasSize(group.length);
            for (int i = 0; i < group.length; i++) {
                assertThat(ours.get(i)).as("fragment " + group[i]).isEqualTo(message("frag", group[i]));
            }
        }
        // the reassembled quick mode 1 decrypts with the logged phase-2 IV; out of order, with a duplicate
        V1FragmentReassembler r = new V1FragmentReassembler();
        List<V1FragmentReassembler.Outcome> outcomes = new java.util.ArrayList<>();
        for (int n : new int[] {16, 14, 14, 13, 15}) {
            outcomes.add(r.offer(V1Message.decodePlain(message("frag", n)).first(FragmentPayload1.class).orElseThrow()));
        }
        assertThat(outcomes.get(0)).isEqualTo(new V1FragmentReassembler.Incomplete(1, 1, 4));
        assertThat(outcomes.get(2)).isInstanceOf(V1FragmentReassembler.Rejected.class);
        assertThat(r.inProgress()).isFalse();
        V1FragmentReassembler.Outcome o = outcomes.get(4);
        byte[] qm1 = ((V1FragmentReassembler.Complete) o).datagram();
        byte[] lastPhase1Block = V1Encryption.lastCipherBlock(message("frag", 12), 16);
        int mid = IsakmpHeader.decode(qm1).messageId();
        byte[] iv = IvChain.phase2Iv(V1Captures::sha1, lastPhase1Block, mid, 16);
        assertThat(iv).isEqualTo(k.get("first_iv_mid_" + Integer.toUnsignedLong(mid)));
        V1Message q = V1Encryption.decrypt(qm1, JceCbcCipher.aes(k.get("ka")), iv).message();
        assertThat(q.header().exchangeType()).isEqualTo(V1ExchangeType.QUICK_MODE);
        assertThat(q.all(IdPayload1.class)).hasSize(2);
    }

    @Test
    void deadPeerDetectionExchanges() throws Exception {
        Map<String, byte[]> k = keys("dpd");
        CbcCipher aes = JceCbcCipher.aes(k.get("ka"));
        byte[] mm6 = message("dpd", 6);
        IsakmpHeader h6 = IsakmpHeader.decode(mm6);
        byte[] lastPhase1Block = V1Encryption.lastCipherBlock(mm6, 16);
        byte[] skeyidA = k.get("skeyid_a");
        int previous = 0;
        for (int i = 10; i <= 17; i++) {
            byte[] datagram = message("dpd", i);
            int mid = IsakmpHeader.decode(datagram).messageId();
            byte[] iv = IvChain.phase2Iv(V1Captures::sha1, lastPhase1Block, mid, 16);
            assertThat(iv).isEqualTo(k.get("first_iv_mid_" + Integer.toUnsignedLong(mid)));
            V1Message m = V1Encryption.decrypt(datagram, aes, iv).message();
            assertThat(V1Encryption.encrypt(m.header(), m.payloadList(), aes, iv)).isEqualTo(datagram);
            assertThat(m.header().exchangeType()).isEqualTo(V1ExchangeType.INFORMATIONAL);
            boolean request = i % 2 == 0; // east asks, west answers
            int type = request ? NotifyPayload1.R_U_THERE : NotifyPayload1.R_U_THERE_ACK;
            NotifyPayload1 n = m.notify(type).orElseThrow();
            int sequence = ByteBuffer.wrap(n.data()).getInt();
            // RFC 3706 5: SPI = both cookies, data = the sequence number, echoed in the ACK, +1 per request
            assertThat(n).isEqualTo(NotifyPayload1.dpd(type, h6.cookies(), sequence));
            if (request && previous != 0) {
                assertThat(sequence).isEqualTo(previous + 1);
            } else if (!request) {
                assertThat(sequence).isEqualTo(previous);
            }
            previous = sequence;
            byte[] midBytes = ByteBuffer.allocate(4).putInt(mid).array();
            assertThat(m.first(HashPayload1.class).orElseThrow().hash()).isEqualTo(hmacSha1(skeyidA, midBytes,
                    m.wireBytesAfter(0)));
        }
    }

    @Test
    void encodesMainModeOneLikeStrongSwan() throws Exception {
        byte[] captured = message("main", 1);
        TransformPayload1 transform = TransformPayload1.of(1, TransformPayload1.KEY_IKE,
                Attribute1.basic(IkeAttributes.ENCRYPTION_ALGORITHM, IkeAttributes.ENCR_AES_CBC),
                Attribute1.basic(IkeAttributes.KEY_LENGTH, 128),
                Attribute1.basic(IkeAttributes.HASH_ALGORITHM, IkeAttributes.HASH_SHA1),
                Attribute1.basic(IkeAttributes.GROUP_DESCRIPTION, 14),
                Attribute1.basic(IkeAttributes.AUTHENTICATION_METHOD, IkeAttributes.AUTH_PSK),
                Attribute1.basic(IkeAttributes.LIFE_TYPE, IkeAttributes.LIFE_SECONDS),
                Attribute1.ofNumber(IkeAttributes.LIFE_DURATION, 15840));
        SaPayload1 sa = SaPayload1.ipsec(List.of(new ProposalPayload1(1, ProposalPayload1.PROTO_ISAKMP, new byte[0],
                List.of(transform))));
        List<V1Payload> payloads = List.of(sa, KnownVendorIds.STRONGSWAN, KnownVendorIds.XAUTH, KnownVendorIds.DPD,
                KnownVendorIds.FRAGMENTATION, KnownVendorIds.NATT_RFC3947, KnownVendorIds.NATT_DRAFT_02_N);
        byte[] ours = V1Message.encode(IsakmpHeader.of(0x66afa9328c908fb8L, 0, V1ExchangeType.IDENTITY_PROTECTION, 0, 0),
                payloads);
        assertThat(ours).isEqualTo(captured);
    }
}
