package io.causeway.ike.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.ike.v1.message.V1Message;
import io.causeway.ike.v1.message.V1ParseException;
import io.causeway.ike.v1.message.V1PayloadChain;

/**
 * Any unencrypted ISAKMP datagram: header and every IKEv1 payload decoder. A datagram either decodes to payloads
 * that re-encode and decode again to the same octets, or is refused with V1ParseException; nothing else escapes.
 */
class IkeV1MessageFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] datagram) {
        V1Message message;
        try {
            message = V1Message.decodePlain(datagram);
        } catch (V1ParseException refused) {
            return;
        }
        byte[] again = V1Message.encode(message.header(), V1PayloadChain.payloads(message.payloads()));
        V1Message second;
        try {
            second = V1Message.decodePlain(again);
        } catch (V1ParseException e) {
            throw new AssertionError("a re-encoded message does not decode: " + e.getMessage(), e);
        }
        byte[] third = V1Message.encode(second.header(), V1PayloadChain.payloads(second.payloads()));
        assertThat(third).as("decode(encode(decode(x)))").isEqualTo(again);
        assertThat(second.payloads()).hasSameSizeAs(message.payloads());
    }
}
