package io.causeway.ike.v2.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class IkeHeaderTest {
    // Hand-assembled from the RFC 7296 3.1 figure: SPIs, next payload SA (33), version 2.0,
    // IKE_SA_INIT (34), flags Initiator (0x08), message id 0, length 28.
    private static final String INIT_HEADER = "0102030405060708 0000000000000000 21 20 22 08 00000000 0000001c";

    @Test
    void decodesTheRfcFigureFields() throws Exception {
        IkeHeader h = IkeHeader.decode(ByteBuffer.wrap(Captures.hex(INIT_HEADER)));
        assertThat(h.initiatorSpi()).isEqualTo(0x0102030405060708L);
        assertThat(h.responderSpi()).isZero();
        assertThat(h.nextPayload()).isEqualTo(PayloadType.SA);
        assertThat(h.majorVersion()).isEqualTo(2);
        assertThat(h.minorVersion()).isZero();
        assertThat(h.exchangeType()).isEqualTo(ExchangeType.IKE_SA_INIT);
        assertThat(h.initiator()).isTrue();
        assertThat(h.response()).isFalse();
        assertThat(h.higherVersionPossible()).isFalse();
        assertThat(h.messageId()).isZero();
        assertThat(h.length()).isEqualTo(28);
    }

    @Test
    void roundTripsHighSpisAndMessageIds() throws Exception {
        IkeHeader h = new IkeHeader(0xfedcba9876543210L, -1L, 46, 2, 0, ExchangeType.INFORMATIONAL,
                IkeHeader.FLAG_RESPONSE, 0xffffffffL, 0x100);
        ByteBuffer out = ByteBuffer.allocate(28);
        h.encode(out);
        assertThat(IkeHeader.decode(ByteBuffer.wrap(out.array()))).isEqualTo(h);
        assertThat(h.messageId()).isEqualTo(4294967295L);
    }

    @Test
    void refusesOtherMajorVersionsWithInvalidMajorVersion() {
        byte[] ikev1 = Captures.hex(INIT_HEADER.replace(" 20 22 ", " 10 22 "));
        assertThatThrownBy(() -> IkeHeader.decode(ByteBuffer.wrap(ikev1)))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InvalidMessageException.Reason.UNSUPPORTED_MAJOR_VERSION);
                    assertThat(e.notifyType()).isEqualTo(NotifyType.INVALID_MAJOR_VERSION);
                });
        assertThat(IkeHeader.peekMajorVersion(ikev1, 0, ikev1.length)).isEqualTo(1);
    }

    @Test
    void messageLengthMustMatchTheDatagram() {
        byte[] longer = Captures.hex(INIT_HEADER.replace("0000001c", "0000001d"));
        assertThatThrownBy(() -> IkeMessage.decode(longer)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("29");
        byte[] shortHeader = Captures.hex(INIT_HEADER.replace("0000001c", "0000001b"));
        assertThatThrownBy(() -> IkeMessage.decode(shortHeader)).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> IkeMessage.decode(new byte[27])).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void headerOnlyMessageDecodes() throws Exception {
        IkeMessage m = IkeMessage.decode(Captures.hex(INIT_HEADER.replace(" 21 20 ", " 00 20 ")));
        assertThat(m.payloads()).isEmpty();
        assertThat(m.isProtected()).isFalse();
    }
}
