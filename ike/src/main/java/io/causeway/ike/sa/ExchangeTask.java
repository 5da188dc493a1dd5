package io.causeway.ike.sa;

import io.causeway.ike.v2.message.IkeMessage;

/**
 * A task that sent a request of this IKE SA and waits for its response (RFC 7296 2.3: one at a time). The session
 * holds it as its active task while the request is outstanding and hands it the response; retransmission stays
 * with the session's {@link IkeTransport}.
 */
interface ExchangeTask {
    /** The response to this task's request, already matched to it by message id. */
    void onResponse(IkeMessage response, long now);
}
