package io.causeway.ike.v2.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.causeway.conf.net.Identity;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each payload type: hand-assembled bytes after the RFC 7296 section 3 figures, and encode/decode round trips. */
class PayloadCodecTest {

    private static Payload single(int type, String hex) throws InvalidMessageException {
        List<Payload> payloads = PayloadChain.decodeInner(type, Captures.hex(hex));
        assertThat(payloads).hasSize(1);
        assertThat(PayloadChain.encode(payloads)).as("re-encoded").isEqualTo(Captures.hex(hex));
        return payloads.get(0);
    }

    private static void roundTrips(Payload... payloads) throws InvalidMessageException {
        List<Payload> chain = List.of(payloads);
        byte[] bytes = PayloadChain.encode(chain);
        assertThat(bytes).hasSize(PayloadChain.encodedLength(chain));
        assertThat(PayloadChain.decodeInner(PayloadChain.firstType(chain), bytes)).containsExactlyElementsOf(chain);
    }

    @Test
    void saWithKeyLengthAttribute() throws Exception {
        // RFC 7296 3.3.1/3.3.2/3.3.5 figures: proposal 1, IKE, no SPI, one transform ENCR_AES_CBC with Key Length 128 (TV)
        SaPayload sa = (SaPayload) single(PayloadType.SA,
                "00 00 0018  00 00 0014 01 01 00 01  00 00 000c 01 00 000c 800e 0080");
        SaProposal p = sa.proposals().get(0);
        assertThat(p.number()).isEqualTo(1);
        assertThat(p.protocolId()).isEqualTo(SaProposal.PROTOCOL_IKE);
        assertThat(p.spi()).isEmpty();
        assertThat(p.transforms()).containsExactly(Transform.of(Transform.TYPE_ENCR, 12, 128));
        assertThat(p.transforms().get(0).keyLengthBits()).isEqualTo(128);
    }

    @Test
    void saRejectsInconsistentCountsAndFlags() {
        // announces 2 transforms, carries 1
        assertThatThrownBy(() -> single(PayloadType.SA, "00 00 0018  00 00 0014 01 01 00 02  00 00 000c 01 00 000c 800e 0080"))
                .isInstanceOf(InvalidMessageException.class);
        // last-substruc 2 ("more") on the only proposal
        assertThatThrownBy(() -> single(PayloadType.SA, "00 00 0018  02 00 0014 01 01 00 01  00 00 000c 01 00 000c 800e 0080"))
                .isInstanceOf(InvalidMessageException.class);
        // transform length 7
        assertThatThrownBy(() -> single(PayloadType.SA, "00 00 0018  00 00 0014 01 01 00 01  00 00 0007 01 00 000c 800e 0080"))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void ke() throws Exception {
        // RFC 7296 3.4: DH group 14, reserved, key data
        KePayload ke = (KePayload) single(PayloadType.KE, "00 00 000c 000e 0000 01020304");
        assertThat(ke.dhGroup()).isEqualTo(14);
        assertThat(ke.keyData()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void invalidKeNotifyCarriesTheGroup() throws Exception {
        // RFC 7296 3.10 / 1.3: INVALID_KE_PAYLOAD (17) with the 2-octet accepted group 19
        NotifyPayload n = (NotifyPayload) single(PayloadType.NOTIFY, "00 00 000a 00 00 0011 0013");
        assertThat(n.notifyType()).isEqualTo(NotifyType.INVALID_KE_PAYLOAD);
        assertThat(n.isError()).isTrue();
        assertThat(n.invalidKeGroup()).hasValue(19);
        assertThat(n).isEqualTo(NotifyPayload.invalidKePayload(19));
    }

    @Test
    void notifyWithSpi() throws Exception {
        // REKEY_SA (16393 = 0x4009) for ESP SPI 0xaabbccdd
        NotifyPayload n = (NotifyPayload) single(PayloadType.NOTIFY, "00 00 000c 03 04 4009 aabbccdd");
        assertThat(n.protocolId()).isEqualTo(SaProposal.PROTOCOL_ESP);
        assertThat(n.spi()).isEqualTo(Captures.hex("aabbccdd"));
        assertThat(n.notifyType()).isEqualTo(NotifyType.REKEY_SA);
        assertThat(n.data()).isEmpty();
    }

    @Test
    void deleteEspSpis() throws Exception {
        // RFC 7296 3.11: protocol ESP, SPI size 4, two SPIs
        DeletePayload d = (DeletePayload) single(PayloadType.DELETE, "00 00 0010 03 04 0002 aabbccdd 11223344");
        assertThat(d.spisAsInts()).containsExactly(0xaabbccdd, 0x11223344);
        assertThat(d).isEqualTo(DeletePayload.esp(0xaabbccdd, 0x11223344));
        assertThatThrownBy(() -> single(PayloadType.DELETE, "00 00 0010 03 04 0003 aabbccdd 11223344"))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void deleteIkeSa() throws Exception {
        assertThat(single(PayloadType.DELETE, "00 00 0008 01 00 0000")).isEqualTo(DeletePayload.ikeSa());
    }

    @Test
    void trafficSelectorsIpv4Prefix() throws Exception {
        // RFC 7296 3.13/3.13.1: one TS_IPV4_ADDR_RANGE, any protocol, ports 0-65535, 10.1.0.0 - 10.1.0.255
        TrafficSelectorPayload ts = (TrafficSelectorPayload) single(PayloadType.TSI,
                "00 00 0018 01 000000 07 00 0010 0000 ffff 0a010000 0a0100ff");
        assertThat(ts.initiator()).isTrue();
        assertThat(ts.addressRanges()).containsExactly(AddressRangeSelector.ofPrefix(InetAddress.getByName("10.1.0.0"), 24));
        assertThat(ts.addressRanges().get(0).asPrefix()).hasValueSatisfying(s -> assertThat(s.prefixLength()).isEqualTo(24));
    }

    @Test
    void trafficSelectorWithUnknownTypeIsKeptOpaque() throws Exception {
        TrafficSelectorPayload ts = (TrafficSelectorPayload) single(PayloadType.TSR,
                "00 00 0010 02 000000 0a 00 0008 01020304 07 00 0010 0000 ffff 0a010000 0a0100ff".replace("0010 02", "0020 02"));
        assertThat(ts.selectors()).hasSize(2);
        assertThat(ts.selectors().get(0)).isInstanceOf(OpaqueSelector.class);
        assertThat(ts.addressRanges()).hasSize(1);
    }

    @Test
    void idFqdnKeepsTheBodyForAuth() throws Exception {
        // RFC 7296 3.5: ID_FQDN "west.example"
        IdPayload id = (IdPayload) single(PayloadType.IDI, "00 00 0014 02 000000 776573742e6578616d706c65");
        assertThat(id.toIdentity()).contains(Identity.parse("west.example"));
        assertThat(id.body()).isEqualTo(Captures.hex("02 000000 776573742e6578616d706c65"));
        assertThat(IdPayload.of(true, Identity.parse("west.example"))).isEqualTo(id);
    }

    @Test
    void idReservedOctetsSurviveForAuth() throws Exception {
        IdPayload id = (IdPayload) single(PayloadType.IDR, "00 00 000c 01 abcdef c0000201");
        assertThat(id.body()).isEqualTo(Captures.hex("01 abcdef c0000201"));
        assertThat(id.toIdentity()).contains(Identity.parse("192.0.2.1"));
    }

    @Test
    void authSharedKeyMic() throws Exception {
        AuthPayload auth = (AuthPayload) single(PayloadType.AUTH, "00 00 000c 02 000000 deadbeef");
        assertThat(auth.method()).isEqualTo(AuthPayload.SHARED_KEY_MIC);
        assertThat(auth.data()).isEqualTo(Captures.hex("deadbeef"));
    }

    @Test
    void nonceLengthIsChecked() {
        assertThatThrownBy(() -> single(PayloadType.NONCE, "00 00 0013 " + "00".repeat(15)))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> new NoncePayload(new byte[257])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownCriticalPayloadIsRefusedWithItsType() {
        // payload type 99 with the critical bit (RFC 7296 2.5, 3.2)
        assertThatThrownBy(() -> single(99, "00 80 0008 01020304"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InvalidMessageException.Reason.UNSUPPORTED_CRITICAL_PAYLOAD);
                    assertThat(e.notifyType()).isEqualTo(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD);
                    assertThat(e.notifyData()).containsExactly(99);
                });
    }

    @Test
    void unknownNonCriticalPayloadIsKeptRawBetweenOthers() throws Exception {
        // N(INITIAL_CONTACT) -> type 99 (not critical) -> V
        List<Payload> chain = PayloadChain.decodeInner(PayloadType.NOTIFY,
                Captures.hex("63 00 0008 00 00 4000  2b 00 0006 abcd  00 00 0006 1234"));
        assertThat(chain).containsExactly(NotifyPayload.of(NotifyType.INITIAL_CONTACT),
                new RawPayload(99, false, Captures.hex("abcd")), new VendorIdPayload(Captures.hex("1234")));
    }

    @Test
    void chainErrors() {
        // length below 4, length beyond the data, trailing bytes, next payload announced but nothing follows
        for (String bad : List.of("00 00 0003", "00 00 0009 0102", "00 00 0006 1234 ff", "2b 00 0006 1234")) {
            assertThatThrownBy(() -> PayloadChain.decodeInner(PayloadType.VENDOR_ID, Captures.hex(bad)))
                    .as(bad).isInstanceOf(InvalidMessageException.class);
        }
        // SK inside a decrypted chain
        assertThatThrownBy(() -> PayloadChain.decodeInner(PayloadType.SK, Captures.hex("00 00 0008 01020304")))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void everyPayloadRoundTrips() throws Exception {
        roundTrips(
                SaPayload.of(io.causeway.conf.proposal.Proposal.parseIke("aes128-sha256-modp3072,aes256gcm16-prfsha384-ecp384"), new byte[0]),
                new KePayload(19, new byte[64]),
                new NoncePayload(new byte[32]),
                IdPayload.of(true, Identity.parse("user@example.org")),
                IdPayload.of(false, Identity.parse("2001:db8::1")),
                IdPayload.of(false, Identity.parse("@#0a0b0c")),
                new AuthPayload(AuthPayload.SHARED_KEY_MIC, new byte[32]),
                NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, new byte[20]),
                NotifyPayload.signatureHashAlgorithms(2, 3, 4),
                new NotifyPayload(SaProposal.PROTOCOL_ESP, Captures.hex("01020304"), NotifyType.CHILD_SA_NOT_FOUND, new byte[0]),
                DeletePayload.esp(1, 2, 3),
                new VendorIdPayload("strongSwan".getBytes()),
                new TrafficSelectorPayload(true, List.of(AddressRangeSelector.ofPrefix(InetAddress.getByName("2001:db8::"), 32),
                        new AddressRangeSelector(6, 443, 443, Captures.hex("0a000001"), Captures.hex("0a000009")))),
                new TrafficSelectorPayload(false, List.of(AddressRangeSelector.ofPrefix(InetAddress.getByName("0.0.0.0"), 0))),
                new RawPayload(PayloadType.CP, false, Captures.hex("01000000 0001 0000")),
                new RawPayload(PayloadType.CERTREQ, false, Captures.hex("04")),
                new RawPayload(PayloadType.EAP, false, Captures.hex("01020005 01")));
    }

    @Test
    void encryptedPayloadsRoundTripAsTheLastPayloadOfAMessage() throws Exception {
        IkeHeader header = IkeHeader.of(1, 2, ExchangeType.IKE_AUTH, true, false, 1);
        for (List<Payload> payloads : List.of(
                List.<Payload>of(new VendorIdPayload(new byte[3]), new SkPayload(PayloadType.IDI, new byte[48])),
                List.<Payload>of(new SkfPayload(1, 3, PayloadType.IDI, new byte[40])),
                List.<Payload>of(new SkfPayload(2, 3, 0, new byte[40])))) {
            IkeMessage sent = IkeMessage.of(header, payloads);
            IkeMessage received = IkeMessage.decode(sent.bytes());
            assertThat(received.payloads()).containsExactlyElementsOf(payloads);
            assertThat(received.header()).isEqualTo(sent.header());
            assertThat(received.isProtected()).isTrue();
        }
        assertThatThrownBy(() -> IkeMessage.of(header, List.of(new SkPayload(PayloadType.IDI, new byte[8]), new VendorIdPayload(new byte[1]))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signatureHashAlgorithmsListIsReadBack() throws Exception {
        assertThat(NotifyPayload.signatureHashAlgorithms(2, 3, 4, 5).hashAlgorithms()).containsExactly(2, 3, 4, 5);
    }
}
