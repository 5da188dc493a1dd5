package io.causeway.ike.sa;

import io.causeway.ike.crypto.CookieGenerator;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeHeader;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Responder cookies (RFC 7296 2.6): once as many half-open IKE SAs exist as the threshold, an IKE_SA_INIT request
 * without a valid COOKIE is answered with a new one and no state is kept, so only initiators that receive at their
 * source address cost us a DH computation. The secret changes every {@link #SECRET_LIFETIME}; a cookie of the
 * previous secret stays valid until the next change.
 */
final class ResponderCookies {
    /** strongSwan switches its cookie secret after 120 s as well. */
    static final Duration SECRET_LIFETIME = Duration.ofSeconds(120);

    private final EngineContext ctx;
    private final KnownPeers known;
    private int threshold = IkeEngine.DEFAULT_COOKIE_THRESHOLD;
    /** Made on first use, when the engine first knows the time. */
    private CookieGenerator generator;
    /** COOKIE answers sent. */
    long sent;

    /** known learns the generator once there is one, to recognise returned cookies on the socket readers. */
    ResponderCookies(EngineContext ctx, KnownPeers known) {
        this.ctx = ctx;
        this.known = known;
    }

    void threshold(int halfOpenSas) {
        this.threshold = halfOpenSas;
    }

    /**
     * Whether this new IKE_SA_INIT request may create a responder SA with halfOpen half-open SAs existing; when
     * not, it was answered with N(COOKIE) or dropped.
     */
    boolean admit(IkeMessage request, IkeDatagram d, int halfOpen, long now) {
        if (threshold <= 0 || halfOpen < threshold) {
            return true; // 2.6: below the threshold a cookie, valid or not, is simply ignored
        }
        Optional<NoncePayload> nonce = request.first(NoncePayload.class);
        if (nonce.isEmpty()) {
            ctx.drops().drop();
            return false;
        }
        if (generator == null) {
            generator = new CookieGenerator(ctx.random(), SECRET_LIFETIME, now);
            known.useCookies(generator);
        }
        generator.rotateIfDue(now);
        byte[] ni = nonce.get().nonce();
        byte[] spiI = IkeSession.spiBytes(request.header().initiatorSpi());
        for (NotifyPayload n : request.notifies(NotifyType.COOKIE)) {
            if (generator.isValid(n.data(), ni, d.remote().getAddress(), spiI)) {
                return true;
            }
        }
        // 2.6: a missing or wrong cookie gets a fresh one, in a response without a responder SPI
        NotifyPayload cookie = NotifyPayload.of(NotifyType.COOKIE, generator.cookie(ni, d.remote().getAddress(), spiI));
        IkeHeader header = IkeHeader.of(request.header().initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, 0);
        ctx.actions().send(new IkeDatagram(IkeMessage.of(header, List.of(cookie)).bytes(), d.local(), d.remote()));
        sent++;
        ctx.actions().exchangeCompleted(null, ExchangeType.IKE_SA_INIT, false);
        return false;
    }
}
