package io.causeway.ike.sa;

import io.causeway.ike.crypto.SkPayloadException;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.InvalidMessageException;
import io.causeway.ike.v2.message.Payload;
import java.util.List;

/**
 * How one IKE SA's messages travel (RFC 7296 2.1, 2.2; RFC 7383): message ids in both directions, protection with
 * the SA's keys (as SKF fragments when negotiated and needed), retransmission of our one outstanding request, the
 * cached answer to the peer's last request, and reassembly of received fragments (always accepted). The tasks
 * decide what to send; this decides how. Not yet: smaller fragments after unanswered retransmissions (RFC 7383
 * 2.5.2).
 */
final class IkeTransport {
    private final IkeSession s;
    private final RetransmitState retransmit;
    private final ResponseCache responses = new ResponseCache();
    private final FragmentInbox fragments = new FragmentInbox();
    /** Message id of the peer's next request (2.2). */
    long expectedRequestId;
    /** Message id of our next request once IKE_AUTH is done: 2 for the initiator, 0 for the responder (2.2). */
    long nextRequestId;
    /** The exchange type of our outstanding request, reported when its answer completes the exchange. */
    private int outstandingExchange;

    IkeTransport(IkeSession session) {
        this.s = session;
        this.retransmit = new RetransmitState(session.ctx.schedule());
    }

    /** Whether a request of ours is outstanding (the window of 1 is full, 2.3). */
    boolean outstanding() {
        return retransmit.pending();
    }

    /** Whether this response answers our outstanding request. */
    boolean awaits(IkeMessage response) {
        return retransmit.pending() && response.header().messageId() == retransmit.messageId();
    }

    /** A retransmitted request is answered with the same response, not processed again (2.1); true if it was one. */
    boolean answeredAgain(IkeMessage request, IkeDatagram d) {
        List<byte[]> cached = responses.answerFor(request.header().messageId(), request.bytes());
        if (cached == null) {
            return false;
        }
        resend(cached, d);
        return true;
    }

    /** Whether the request carries the message id we expect next; drops it otherwise. */
    boolean expected(IkeMessage request) {
        if (request.header().messageId() != expectedRequestId) {
            s.ctx.drops().drop();
            return false;
        }
        return true;
    }

    void sendRequest(int exchangeType, List<byte[]> datagrams, long messageId, long now) {
        outstandingExchange = exchangeType;
        List<IkeDatagram> request = datagrams.stream().map(b -> new IkeDatagram(b, s.local, s.remote)).toList();
        request.forEach(s.ctx.actions()::send);
        s.ctx.actions().setTimer(s.retransmitKey(), retransmit.firstSent(request, messageId, now));
    }

    /** An encrypted request of this exchange type with the next message id of ours. */
    void sendProtectedRequest(int exchangeType, List<? extends Payload> inner, long now) {
        long id = nextRequestId++;
        List<byte[]> request = protect(IkeHeader.of(s.spiI, s.spiR, exchangeType, s.initiator, false, id), inner);
        sendRequest(exchangeType, request, id, now);
    }

    void sendInformational(List<? extends Payload> inner, long now) {
        sendProtectedRequest(ExchangeType.INFORMATIONAL, inner, now);
    }

    /** The answer to our outstanding request arrived and was accepted: the exchange completed, stop retransmitting. */
    void answered() {
        if (retransmit.pending()) {
            s.ctx.actions().exchangeCompleted(s.connection.name(), outstandingExchange, true);
        }
        stopRetransmitting();
    }

    private void stopRetransmitting() {
        retransmit.answered();
        fragments.discardResponses();
        s.ctx.actions().cancelTimer(s.retransmitKey());
    }

    /** Forgets the outstanding request, if any, as when the SA ends. */
    void abandon() {
        if (retransmit.pending()) {
            stopRetransmitting();
        }
    }

    /** RETRANSMIT: resend the outstanding request, or give up when the schedule is exhausted (2.1, 2.4). */
    void retransmitTimer(long now) {
        if (!retransmit.pending()) {
            return;
        }
        if (retransmit.exhausted()) {
            int tries = retransmit.retransmissions();
            stopRetransmitting();
            s.router.unanswered(tries);
            return;
        }
        retransmit.outstanding().forEach(s.ctx.actions()::send);
        s.ctx.actions().setTimer(s.retransmitKey(), retransmit.resent(now));
    }

    void sendProtectedResponse(IkeMessage request, List<? extends Payload> inner) {
        IkeHeader header = IkeHeader.of(s.spiI, s.spiR, request.header().exchangeType(), s.initiator, true,
                request.header().messageId());
        sendResponse(request, protect(header, inner));
    }

    void sendResponse(IkeMessage request, List<byte[]> response) {
        responses.remember(request.header().messageId(), request.bytes(), response);
        expectedRequestId = request.header().messageId() + 1;
        for (byte[] datagram : response) {
            s.ctx.actions().send(new IkeDatagram(datagram, s.local, s.remote));
        }
        s.ctx.actions().exchangeCompleted(s.connection.name(), request.header().exchangeType(), false);
    }

    private void resend(List<byte[]> response, IkeDatagram request) {
        for (byte[] datagram : response) {
            s.ctx.actions().send(new IkeDatagram(datagram, request.local(), request.remote()));
        }
    }

    /** Encrypts a message of this SA: one SK message, or SKF fragments when it would not fit (RFC 7383 2.5). */
    List<byte[]> protect(IkeHeader header, List<? extends Payload> inner) {
        return s.sk.protect(header, inner, s.sendFragments ? s.ctx.settings().maxMessageLength(s.local, s.remote)
                : Integer.MAX_VALUE);
    }

    /**
     * An SKF fragment (RFC 7383 2.6) of a message this SA expects: the whole message once its last fragment is in,
     * else null. A retransmitted request is answered again on its first fragment, once that is authentic (2.6.1).
     */
    IkeMessage reassemble(IkeMessage m, IkeDatagram d, long now) {
        long id = m.header().messageId();
        boolean response = m.header().response();
        boolean retransmitted = !response && responses.isLast(id);
        if (s.sk == null || (response ? !retransmit.pending() || id != retransmit.messageId()
                : !retransmitted && id != expectedRequestId)) {
            s.ctx.drops().drop();
            return null;
        }
        if (retransmitted) {
            if (m.skf().orElseThrow().fragmentNumber() == 1 && fragments.authentic(m, s.sk)) {
                resend(responses.last(), d);
            }
            return null;
        }
        return fragments.offer(m, s.sk, s.ctx.drops(), now);
    }

    /** The inner payloads of an encrypted message (reassembled if it came in fragments), or null when it fails. */
    List<Payload> unprotectOrDrop(IkeMessage m) {
        List<Payload> reassembled = fragments.innerOf(m);
        if (reassembled != null) {
            return reassembled;
        }
        try {
            return s.sk.unprotect(m);
        } catch (InvalidMessageException | SkPayloadException e) {
            // RFC 7296 2.21.2: a message that fails the integrity check is dropped silently
            s.ctx.drops().drop();
            return null;
        }
    }
}
