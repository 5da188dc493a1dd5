package io.causeway.ike.v2.sa;

import java.util.Arrays;

/**
 * The responder's last answer (RFC 7296 2.1): a retransmitted request with the same message id gets
 * the same octets again, without being processed a second time.
 */
final class ResponseCache {
    private long messageId = -1;
    private byte[] requestBytes;
    private byte[] responseBytes;

    void remember(long requestMessageId, byte[] request, byte[] response) {
        this.messageId = requestMessageId;
        this.requestBytes = request.clone();
        this.responseBytes = response.clone();
    }

    /** The cached response when this request is a retransmission of the last one answered, else null. */
    byte[] answerFor(long requestMessageId, byte[] request) {
        if (responseBytes == null || requestMessageId != messageId || !Arrays.equals(request, requestBytes)) {
            return null;
        }
        return responseBytes.clone();
    }

    boolean isLast(long requestMessageId) {
        return responseBytes != null && requestMessageId == messageId;
    }
}
