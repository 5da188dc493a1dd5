package io.causeway.ike.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;

/**
 * Any datagram on port 500/4500: IKE header and every payload decoder. The contract is that a datagram either
 * decodes to a message that re-encodes to the same length and decodes again to the same octets, or is refused
 * with InvalidMessageException; nothing else may escape.
 */
class IkeV2MessageFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] datagram) {
        IkeMessage message;
        try {
            message = IkeMessage.decode(datagram);
        } catch (InvalidMessageException refused) {
            return;
        }
        byte[] again = IkeMessage.of(message.header(), message.payloads()).bytes();
        assertThat(again).as("re-encoded length").hasSize(datagram.length);
        byte[] third;
        try {
            third = IkeMessage.of(IkeMessage.decode(again).header(), IkeMessage.decode(again).payloads()).bytes();
        } catch (InvalidMessageException e) {
            throw new AssertionError("a re-encoded message does not decode: " + e.getMessage(), e);
        }
        assertThat(third).as("decode(encode(decode(x)))").isEqualTo(again);
    }
}
