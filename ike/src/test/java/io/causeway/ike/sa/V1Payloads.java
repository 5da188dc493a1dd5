package io.causeway.ike.sa;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.causeway.ike.v1.message.HashPayload1;
import io.causeway.ike.v1.message.NoncePayload1;
import io.causeway.ike.v1.message.NotifyPayload1;
import io.causeway.ike.v1.message.ProposalPayload1;
import io.causeway.ike.v1.message.RawPayload1;
import io.causeway.ike.v1.message.V1Payload;
import io.causeway.ike.v1.message.VendorIdPayload1;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Payload chains for IsakmpIvChainFuzzTest, each starting with a HASH of the negotiated hash's length as every
 * encrypted phase-2 and informational message does (RFC 2409 5.5, 5.7). A HASH is longer than a cipher block, so the
 * first block is always chain: a message opened with the wrong IV can never decrypt to what was sealed.
 */
final class V1Payloads {
    /** CERT, CR and SIG: types kept as raw bodies by the decoder. */
    private static final int[] RAW_TYPES = {6, 7, 9};
    private final int hashLength;

    V1Payloads(int hashLength) {
        this.hashLength = hashLength;
    }

    /** HASH and up to three more payloads with contents from the input, as an encoder would write them. */
    List<V1Payload> wellFormed(FuzzedDataProvider data) {
        List<V1Payload> out = new ArrayList<>();
        out.add(new HashPayload1(Arrays.copyOf(data.consumeBytes(hashLength), hashLength)));
        int more = data.consumeInt(0, 3);
        for (int i = 0; i < more; i++) {
            out.add(switch (data.consumeInt(0, 3)) {
                case 0 -> new NoncePayload1(atLeast(data.consumeBytes(data.consumeInt(NoncePayload1.MIN_LENGTH, 64)),
                        NoncePayload1.MIN_LENGTH));
                case 1 -> new VendorIdPayload1(data.consumeBytes(data.consumeInt(0, 40)));
                case 2 -> NotifyPayload1.of(ProposalPayload1.PROTO_ISAKMP, data.consumeBytes(data.consumeInt(0, 16)),
                        data.consumeInt(0, 65535), data.consumeBytes(data.consumeInt(0, 24)));
                default -> new RawPayload1(RAW_TYPES[data.consumeInt(0, RAW_TYPES.length - 1)],
                        data.consumeBytes(data.consumeInt(0, 40)));
            });
        }
        return out;
    }

    /** A HASH whose next-payload octet and the octets after it come from the input: any chain, well-formed or not. */
    byte[] rawChain(FuzzedDataProvider data) {
        byte[] rest = data.consumeBytes(data.consumeInt(0, 200));
        ByteBuffer out = ByteBuffer.allocate(4 + hashLength + rest.length);
        out.put((byte) data.consumeInt(0, 255)).put((byte) 0).putShort((short) (4 + hashLength));
        out.put(Arrays.copyOf(data.consumeBytes(hashLength), hashLength)).put(rest);
        return out.array();
    }

    private static byte[] atLeast(byte[] bytes, int length) {
        return bytes.length >= length ? bytes : Arrays.copyOf(bytes, length);
    }
}
