package io.causeway.ike.v1.message;

import static io.causeway.ike.v1.message.V1Captures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.conf.net.Subnet;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Round trips of every payload type through the chain codec, and the helpers' corner cases. */
class V1PayloadCodecTest {

    private static List<DecodedPayload1> roundTrip(List<? extends V1Payload> payloads) throws V1ParseException {
        byte[] chain = V1PayloadChain.encode(payloads);
        assertThat(chain).hasSize(V1PayloadChain.encodedLength(payloads));
        List<DecodedPayload1> decoded = V1PayloadChain.decode(V1PayloadChain.firstType(payloads), chain, 0, chain.length);
        assertThat(V1PayloadChain.payloads(decoded)).isEqualTo(payloads);
        assertThat(V1PayloadChain.wireBytesAfter(decoded, -1)).isEqualTo(chain);
        return decoded;
    }

    @Test
    void everyPayloadTypeRoundTrips() throws Exception {
        SaPayload1 sa = SaPayload1.ipsec(List.of(
                new ProposalPayload1(1, ProposalPayload1.PROTO_IPSEC_AH, hex("01020304"), List.of(
                        TransformPayload1.of(1, 3, Attribute1.basic(IpsecAttributes.AUTHENTICATION_ALGORITHM, 2)))),
                new ProposalPayload1(1, ProposalPayload1.PROTO_IPSEC_ESP, hex("05060708"), List.of(
                        TransformPayload1.of(1, IpsecAttributes.ESP_AES_CBC, Attribute1.basic(IpsecAttributes.KEY_LENGTH, 256),
                                Attribute1.ofNumber(IpsecAttributes.SA_LIFE_DURATION, 4_000_000_000L)),
                        TransformPayload1.of(2, IpsecAttributes.ESP_3DES))),
                new ProposalPayload1(2, ProposalPayload1.PROTO_IPSEC_ESP, hex("05060708"), List.of(
                        TransformPayload1.of(1, IpsecAttributes.ESP_AES_GCM_16,
                                Attribute1.variable(200, hex("00112233445566778899")))))));
        List<V1Payload> payloads = List.of(
                new HashPayload1(new byte[20]),
                sa,
                new NoncePayload1(new byte[8]),
                new KePayload1(new byte[128]),
                IdPayload1.ofSubnet(Subnet.parse("10.1.0.0/24"), 17, 500),
                IdPayload1.ofSubnet(Subnet.parse("2001:db8::1/128"), 0, 0),
                IdPayload1.ofText(IdPayload1.ID_USER_FQDN, "alice@example.org"),
                new IdPayload1(IdPayload1.ID_IPV4_ADDR_RANGE, 6, 80, hex("0a000000 0a0000ff")),
                NotifyPayload1.of(ProposalPayload1.PROTO_IPSEC_ESP, hex("01020304"), NotifyPayload1.RESPONDER_LIFETIME,
                        hex("80010001 00020004 00000e10")),
                NotifyPayload1.dpd(NotifyPayload1.R_U_THERE, new byte[16], 7),
                DeletePayload1.isakmp(1, 2),
                DeletePayload1.ipsec(ProposalPayload1.PROTO_IPSEC_ESP, 0x11223344, 0x55667788),
                new VendorIdPayload1(hex("deadbeef")),
                KnownVendorIds.DPD,
                new NatDPayload1(V1PayloadType.NAT_D, new byte[20]),
                new NatDPayload1(V1PayloadType.NAT_D_DRAFT, new byte[16]),
                NatOaPayload1.of(V1PayloadType.NAT_OA, InetAddress.getByName("192.0.2.7")),
                NatOaPayload1.of(V1PayloadType.NAT_OA_DRAFT, InetAddress.getByName("2001:db8::7")),
                new FragmentPayload1(1, 3, FragmentPayload1.LAST, hex("0102")),
                new RawPayload1(V1PayloadType.CERT, hex("04 3082")),
                new RawPayload1(99, new byte[0]));
        List<DecodedPayload1> decoded = roundTrip(payloads);
        assertThat(decoded.get(0).nextPayload()).isEqualTo(V1PayloadType.SA);
        assertThat(decoded.get(decoded.size() - 1).nextPayload()).isEqualTo(V1PayloadType.NONE);
        // the SA's body as sent, as HASH_I needs it
        assertThat(decoded.get(1).body()).hasSize(sa.bodyLength());
        SaPayload1 back = (SaPayload1) decoded.get(1).payload();
        assertThat(back.proposals()).extracting(ProposalPayload1::number).containsExactly(1, 1, 2); // AH+ESP AND, then ESP
        assertThat(back.proposals().get(1).transforms().get(0).number(IpsecAttributes.SA_LIFE_DURATION))
                .contains(4_000_000_000L);
        assertThat(back.proposals().get(1).spi32()).isEqualTo(0x05060708L);
    }

    @Test
    void messageEncodeFillsHeaderAndFindersWork() throws Exception {
        List<V1Payload> payloads = List.of(new HashPayload1(new byte[20]),
                NotifyPayload1.dpd(NotifyPayload1.R_U_THERE_ACK, new byte[16], 9));
        IsakmpHeader h = IsakmpHeader.of(0x0102030405060708L, 0x1112131415161718L, V1ExchangeType.INFORMATIONAL, 0, 0xfedcba98);
        byte[] datagram = V1Message.encode(h, payloads);
        V1Message m = V1Message.decodePlain(datagram);
        assertThat(m.header()).isEqualTo(h.withNextPayload(V1PayloadType.HASH).withLength(datagram.length));
        assertThat(datagram[17]).isEqualTo((byte) 0x10);
        assertThat(IsakmpHeader.majorVersion(datagram)).isEqualTo(1);
        assertThat(m.first(HashPayload1.class)).isPresent();
        assertThat(m.first(SaPayload1.class)).isEmpty();
        assertThat(m.all(NotifyPayload1.class)).hasSize(1);
        assertThat(m.notify(NotifyPayload1.R_U_THERE_ACK)).isPresent();
        assertThat(m.notify(NotifyPayload1.R_U_THERE)).isEmpty();
        assertThat(m.indexOf(V1PayloadType.NOTIFY)).isEqualTo(1);
        assertThat(m.wireBytesAfter(0)).isEqualTo(m.payloads().get(1).wire());
        assertThat(m.wireBytesAfter(1)).isEmpty();
    }

    @Test
    void headerChecks() throws Exception {
        byte[] datagram = V1Message.encode(IsakmpHeader.of(1, 2, V1ExchangeType.IDENTITY_PROTECTION, 0, 0),
                List.of(new VendorIdPayload1(hex("01"))));
        assertThat(IsakmpHeader.majorVersion(new byte[27])).isEqualTo(-1);
        // trailing bytes after the header's length are ignored
        byte[] longer = java.util.Arrays.copyOf(datagram, datagram.length + 5);
        assertThat(V1Message.decodePlain(longer).payloads()).hasSize(1);
        byte[] v2 = datagram.clone();
        v2[17] = 0x20;
        assertThat(IsakmpHeader.majorVersion(v2)).isEqualTo(2);
        assertThatThrownBy(() -> IsakmpHeader.decode(v2)).isInstanceOfSatisfying(V1ParseException.class,
                e -> assertThat(e.reason()).isEqualTo(V1ParseException.Reason.UNSUPPORTED_VERSION));
        byte[] tooLong = datagram.clone();
        tooLong[27]++;
        assertThatThrownBy(() -> IsakmpHeader.decode(tooLong)).isInstanceOf(V1ParseException.class);
        byte[] tooShort = datagram.clone();
        tooShort[27] = 27;
        assertThatThrownBy(() -> IsakmpHeader.decode(tooShort)).isInstanceOfSatisfying(V1ParseException.class,
                e -> assertThat(e.reason()).isEqualTo(V1ParseException.Reason.BAD_LENGTH));
        byte[] encrypted = datagram.clone();
        encrypted[19] = IsakmpHeader.FLAG_ENCRYPTION;
        assertThat(IsakmpHeader.decode(encrypted).encrypted()).isTrue();
        assertThatThrownBy(() -> V1Message.decodePlain(encrypted)).isInstanceOf(V1ParseException.class);
        IsakmpHeader h = IsakmpHeader.of(-1L, -2L, V1ExchangeType.QUICK_MODE, IsakmpHeader.FLAG_COMMIT, -1);
        assertThat(h.commit()).isTrue();
        assertThat(h.toString()).contains("QUICK_MODE 4294967295");
        assertThat(h.cookies()).hasSize(16);
    }

    @Test
    void chainIgnoresPaddingAfterTheLastPayload() throws Exception {
        byte[] chain = V1PayloadChain.encode(List.of(new HashPayload1(new byte[20])));
        byte[] zeros = java.util.Arrays.copyOf(chain, chain.length + 8);
        byte[] padLength = zeros.clone();
        padLength[padLength.length - 1] = 7;
        for (byte[] padded : List.of(zeros, padLength)) {
            List<DecodedPayload1> d = V1PayloadChain.decode(V1PayloadType.HASH, padded, 0, padded.length);
            assertThat(d).hasSize(1);
            assertThat(V1PayloadChain.wireBytesAfter(d, -1)).isEqualTo(chain);
        }
        assertThat(V1PayloadChain.decode(V1PayloadType.NONE, zeros, 0, zeros.length)).isEmpty();
    }

    @Test
    void attributeNumbers() throws Exception {
        assertThat(Attribute1.ofNumber(2, 0xffff)).isEqualTo(Attribute1.basic(2, 0xffff));
        assertThat(Attribute1.ofNumber(2, 0x10000)).isEqualTo(Attribute1.variable(2, hex("010000")));
        assertThat(Attribute1.ofNumber(2, 86400).number()).isEqualTo(86400);
        assertThat(Attribute1.ofNumber(2, Long.MAX_VALUE).value()).hasSize(8);
        assertThat(Attribute1.ofNumber(2, Long.MAX_VALUE).number()).isEqualTo(Long.MAX_VALUE);
        assertThat(Attribute1.variable(2, hex("0000000000000000000001")).number()).isEqualTo(1); // leading zeros
        assertThat(Attribute1.variable(2, hex("010000000000000000")).number()).isEqualTo(Long.MAX_VALUE); // saturated
        assertThat(Attribute1.variable(2, hex("ffffffffffffffff")).number()).isEqualTo(Long.MAX_VALUE);
        assertThat(Attribute1.variable(2, new byte[0]).number()).isZero();
        assertThatThrownBy(() -> Attribute1.ofNumber(2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attribute1(0x8000, hex("0001"), true)).isInstanceOf(IllegalArgumentException.class);
        // the AF bit on the wire: 0x800c 0x3de0 is a basic LIFE_DURATION of 15840
        TransformPayload1 t = decodeTransform(hex("0000000c 0101 0000 800c3de0"));
        assertThat(t.attributes()).containsExactly(Attribute1.basic(IkeAttributes.LIFE_DURATION, 15840));
        TransformPayload1 tlv = decodeTransform(hex("0000000f 0101 0000 000c0003 0151 80"));
        assertThat(tlv.attributes().get(0).basic()).isFalse();
        assertThat(tlv.attributes().get(0).number()).isEqualTo(0x015180);
    }

    private static TransformPayload1 decodeTransform(byte[] transform) throws V1ParseException {
        byte[] body = V1Captures.concat(hex("00000001 00000001 0000"), new byte[] {0, (byte) (8 + transform.length)},
                hex("01010001"), transform);
        return SaPayload1.decode(java.nio.ByteBuffer.wrap(body)).proposals().get(0).transforms().get(0);
    }

    @Test
    void idPayloadSubnets() throws Exception {
        IdPayload1 host = IdPayload1.ofSubnet(Subnet.parse("192.0.2.9/32"), 0, 0);
        assertThat(host.idType()).isEqualTo(IdPayload1.ID_IPV4_ADDR);
        assertThat(host.asSubnet()).contains(Subnet.parse("192.0.2.9/32"));
        IdPayload1 host6 = IdPayload1.ofSubnet(Subnet.parse("2001:db8::9/128"), 0, 0);
        assertThat(host6.idType()).isEqualTo(IdPayload1.ID_IPV6_ADDR);
        assertThat(host6.asSubnet()).contains(Subnet.parse("2001:db8::9/128"));
        IdPayload1 net6 = IdPayload1.ofSubnet(Subnet.parse("2001:db8:1::/48"), 0, 0);
        assertThat(net6.idType()).isEqualTo(IdPayload1.ID_IPV6_ADDR_SUBNET);
        assertThat(net6.data()).hasSize(32);
        assertThat(net6.asSubnet()).contains(Subnet.parse("2001:db8:1::/48"));
        IdPayload1 any = IdPayload1.ofSubnet(Subnet.parse("0.0.0.0/0"), 0, 0);
        assertThat(any.data()).isEqualTo(hex("00000000 00000000"));
        assertThat(any.asSubnet()).contains(Subnet.parse("0.0.0.0/0"));
        IdPayload1 tcp = IdPayload1.ofSubnet(Subnet.parse("10.0.0.0/8"), 6, 443);
        assertThat(tcp.asSubnet()).contains(Subnet.parse("10.0.0.0/8[tcp/443]"));

        IdPayload1 holes = new IdPayload1(IdPayload1.ID_IPV4_ADDR_SUBNET, 0, 0, hex("0a000000 ff00ff00"));
        assertThat(holes.asSubnet()).isEmpty();
        assertThat(new IdPayload1(IdPayload1.ID_IPV4_ADDR_RANGE, 0, 0, hex("0a000100 0a0001ff")).asSubnet())
                .contains(Subnet.parse("10.0.1.0/24"));
        assertThat(new IdPayload1(IdPayload1.ID_IPV4_ADDR_RANGE, 0, 0, hex("0a000101 0a0001ff")).asSubnet()).isEmpty();
        assertThat(new IdPayload1(IdPayload1.ID_IPV4_ADDR_RANGE, 0, 0, hex("0a000080 0a00017f")).asSubnet()).isEmpty();
        assertThat(new IdPayload1(IdPayload1.ID_IPV4_ADDR_RANGE, 0, 0, hex("0a0001ff 0a000100")).asSubnet()).isEmpty();
        assertThat(new IdPayload1(IdPayload1.ID_IPV4_ADDR_RANGE, 0, 0, hex("00000000 ffffffff")).asSubnet())
                .contains(Subnet.parse("0.0.0.0/0"));
        assertThat(new IdPayload1(IdPayload1.ID_IPV6_ADDR_RANGE, 0, 0,
                hex("20010db8000000000000000000000000 20010db8ffffffffffffffffffffffff")).asSubnet())
                .contains(Subnet.parse("2001:db8::/32"));
        assertThat(new IdPayload1(IdPayload1.ID_IPV6_ADDR, 0, 0, hex("00000000000000000000ffffc0000201")).asSubnet())
                .isEmpty(); // IPv4-mapped
        assertThat(IdPayload1.ofText(IdPayload1.ID_FQDN, "vpn.example").asSubnet()).isEmpty();
        assertThat(IdPayload1.ofAddress(InetAddress.getByName("192.0.2.1")).asSubnet())
                .contains(Subnet.parse("192.0.2.1/32"));

        assertThatThrownBy(() -> new IdPayload1(IdPayload1.ID_IPV4_ADDR, 0, 0, new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
        for (int[] bad : new int[][] {{IdPayload1.ID_IPV4_ADDR, 3}, {IdPayload1.ID_IPV4_ADDR_SUBNET, 4},
            {IdPayload1.ID_IPV6_ADDR, 4}, {IdPayload1.ID_IPV6_ADDR_SUBNET, 16}, {IdPayload1.ID_IPV4_ADDR_RANGE, 9},
            {IdPayload1.ID_IPV6_ADDR_RANGE, 31}}) {
            byte[] body = new byte[4 + bad[1]];
            body[0] = (byte) bad[0];
            assertThatThrownBy(() -> IdPayload1.decode(java.nio.ByteBuffer.wrap(body)))
                    .isInstanceOfSatisfying(V1ParseException.class,
                            e -> assertThat(e.reason()).isEqualTo(V1ParseException.Reason.BAD_LENGTH));
        }
        assertThat(IdPayload1.ofText(IdPayload1.ID_FQDN, "vpn.example").toString()).contains("vpn.example");
    }

    @Test
    void notifyNames() {
        assertThat(NotifyPayload1.name(NotifyPayload1.INVALID_ID_INFORMATION)).isEqualTo("INVALID_ID_INFORMATION");
        assertThat(NotifyPayload1.name(4)).isEqualTo("INVALID_COOKIE");
        assertThat(NotifyPayload1.name(14)).isEqualTo("NO_PROPOSAL_CHOSEN");
        assertThat(NotifyPayload1.name(16)).isEqualTo("PAYLOAD_MALFORMED");
        assertThat(NotifyPayload1.name(23)).isEqualTo("INVALID_HASH_INFORMATION");
        assertThat(NotifyPayload1.name(24)).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(NotifyPayload1.name(30)).isEqualTo("UNEQUAL_PAYLOAD_LENGTHS");
        for (int i = 1; i <= 30; i++) {
            assertThat(NotifyPayload1.name(i)).doesNotStartWith("NOTIFY(");
        }
        assertThat(NotifyPayload1.name(NotifyPayload1.R_U_THERE)).isEqualTo("R_U_THERE");
        assertThat(NotifyPayload1.name(NotifyPayload1.INITIAL_CONTACT)).isEqualTo("INITIAL_CONTACT");
        assertThat(NotifyPayload1.name(31)).isEqualTo("NOTIFY(31)");
        assertThat(NotifyPayload1.name(0)).isEqualTo("NOTIFY(0)");
        assertThat(NotifyPayload1.of(1, new byte[0], 14, new byte[0]).isError()).isTrue();
        assertThat(V1PayloadType.name(V1PayloadType.NAT_D)).isEqualTo("NAT-D");
        assertThat(V1PayloadType.name(77)).isEqualTo("PAYLOAD(77)");
        assertThat(V1ExchangeType.name(V1ExchangeType.QUICK_MODE)).isEqualTo("QUICK_MODE");
        assertThat(V1ExchangeType.name(99)).isEqualTo("EXCHANGE(99)");
    }

    @Test
    void vendorIds() {
        assertThat(KnownVendorIds.name(hex("afcad71368a1f1c96b8696fc77570100"))).contains("DPD");
        assertThat(KnownVendorIds.name(hex("afcad71368a1f1c96b8696fc77570101"))).contains("DPD"); // any minor version
        assertThat(KnownVendorIds.isDpd(hex("afcad71368a1f1c96b8696fc77570101"))).isTrue();
        assertThat(KnownVendorIds.name(hex("4a131c81070358455c5728f20e95452f"))).contains("NAT-T (RFC 3947)");
        assertThat(KnownVendorIds.name(hex("cd60464335df21f87cfdb2fc68b6a448"))).contains("draft-ietf-ipsec-nat-t-ike-02");
        assertThat(KnownVendorIds.name(hex("7d9419a65310ca6f2c179d9215529d56"))).contains("draft-ietf-ipsec-nat-t-ike-03");
        assertThat(KnownVendorIds.isNatT(KnownVendorIds.NATT_DRAFT_03.data())).isTrue();
        assertThat(KnownVendorIds.isNatT(KnownVendorIds.DPD.data())).isFalse();
        assertThat(KnownVendorIds.isFragmentation(hex("4048b7d56ebce88525e7de7f00d6c2d3"))).isTrue(); // Windows
        assertThat(KnownVendorIds.isFragmentation(hex("4048b7d56ebce88525e7de7f00d6c2d3c0000000"))).isTrue(); // Cisco
        assertThat(KnownVendorIds.isFragmentation(hex("4048b7d56ebce88525e7de7f00d6c2d340000000"))).isFalse();
        assertThat(KnownVendorIds.name(hex("1e2b516905991c7d7c96fcbfb587e46100000009"))).contains("MS NT5 ISAKMPOAKLEY");
        assertThat(KnownVendorIds.name(hex("09002689dfd6b712"))).contains("XAuth");
        assertThat(KnownVendorIds.name(hex("882fe56d6fd20dbc2251613b2ebe5beb"))).contains("strongSwan");
        assertThat(KnownVendorIds.name(hex("882fe56d6fd20dbc2251613b2ebe5b"))).isEmpty();
        assertThat(KnownVendorIds.name(new byte[0])).isEmpty();
        assertThat(KnownVendorIds.name(null)).isEqualTo(Optional.empty());
        assertThat(new VendorIdPayload1(hex("0102")).toString()).isEqualTo("V(0102)");
    }

    @Test
    void secretsAreNotPrinted() {
        byte[] secret = hex("5ec4e75ec4e75ec4e75ec4e75ec4e75e");
        for (V1Payload p : List.of(new NoncePayload1(secret), new KePayload1(secret), new HashPayload1(secret))) {
            assertThat(p.toString()).doesNotContain("5ec4e7").contains("16 bytes");
        }
        assertThat(JceCbcCipher.aes(secret).toString()).doesNotContain("5ec4e7");
        assertThat(new IvChain(secret).toString()).doesNotContain("5ec4e7");
    }

    @Test
    void defensiveCopies() {
        byte[] bytes = hex("0102030405060708");
        NoncePayload1 nonce = new NoncePayload1(bytes);
        bytes[0] = 9;
        assertThat(nonce.nonce()[0]).isEqualTo((byte) 1);
        nonce.nonce()[1] = 9;
        assertThat(nonce.nonce()[1]).isEqualTo((byte) 2);
        DeletePayload1 d = DeletePayload1.ipsec(3, 1);
        d.spis().get(0)[0] = 5;
        assertThat(d.spis32()).containsExactly(1L);
        KnownVendorIds.DPD.data()[0] = 0;
        assertThat(KnownVendorIds.DPD.data()[0]).isEqualTo((byte) 0xaf);
    }

    @Test
    void deleteAndNatOaChecks() {
        assertThatThrownBy(() -> DeletePayload1.decode(java.nio.ByteBuffer.wrap(hex("00000001 03 04 0002 01020304"))))
                .isInstanceOfSatisfying(V1ParseException.class,
                        e -> assertThat(e.reason()).isEqualTo(V1ParseException.Reason.BAD_LENGTH));
        assertThatThrownBy(() -> DeletePayload1.decode(java.nio.ByteBuffer.wrap(hex("00000001 03 00 ffff"))))
                .isInstanceOf(V1ParseException.class);
        assertThatThrownBy(() -> NatOaPayload1.decode(V1PayloadType.NAT_OA, java.nio.ByteBuffer.wrap(hex("02000000 01020304"))))
                .isInstanceOf(V1ParseException.class);
        assertThatThrownBy(() -> NatOaPayload1.decode(V1PayloadType.NAT_OA, java.nio.ByteBuffer.wrap(hex("01000000 010203"))))
                .isInstanceOf(V1ParseException.class);
        assertThatThrownBy(() -> NoncePayload1.decode(java.nio.ByteBuffer.wrap(new byte[7])))
                .isInstanceOf(V1ParseException.class);
        assertThatThrownBy(() -> NoncePayload1.decode(java.nio.ByteBuffer.wrap(new byte[257])))
                .isInstanceOf(V1ParseException.class);
        assertThatThrownBy(() -> FragmentPayload1.decode(java.nio.ByteBuffer.wrap(hex("00010000"))))
                .isInstanceOf(V1ParseException.class);
    }
}
