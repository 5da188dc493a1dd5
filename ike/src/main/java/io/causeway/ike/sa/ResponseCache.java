package io.causeway.ike.sa;

import java.util.Arrays;
import java.util.List;

/**
 * The responder's last answer (RFC 7296 2.1): a retransmitted request with the same message id gets the same
 * octets again, without being processed a second time. A fragmented answer is kept as all of its fragments,
 * which go out again together (RFC 7383 2.6.1).
 */
final class ResponseCache {
    private long messageId = -1;
    private byte[] requestBytes;
    private List<byte[]> response;

    void remember(long requestMessageId, byte[] request, List<byte[]> datagrams) {
        this.messageId = requestMessageId;
        this.requestBytes = request.clone();
        this.response = datagrams.stream().map(byte[]::clone).toList();
    }

    /** The cached response when this request is a retransmission of the last one answered, else null. */
    List<byte[]> answerFor(long requestMessageId, byte[] request) {
        if (response == null || requestMessageId != messageId || !Arrays.equals(request, requestBytes)) {
            return null;
        }
        return last();
    }

    /** The last response, for a retransmitted request recognised otherwise (its first fragment, authenticated). */
    List<byte[]> last() {
        return response.stream().map(byte[]::clone).toList();
    }

    boolean isLast(long requestMessageId) {
        return response != null && requestMessageId == messageId;
    }
}
