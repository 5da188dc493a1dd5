package io.causeway.ike.sa;

import static io.causeway.ike.sa.SaWire.first;
import static io.causeway.ike.sa.SaWire.only;

import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.crypto.InvalidPeerKeyException;
import io.causeway.ike.v2.message.ExchangeType;
import io.causeway.ike.v2.message.IkeMessage;
import io.causeway.ike.v2.message.KePayload;
import io.causeway.ike.v2.message.NoncePayload;
import io.causeway.ike.v2.message.NotifyPayload;
import io.causeway.ike.v2.message.NotifyType;
import io.causeway.ike.v2.message.Payload;
import io.causeway.ike.v2.message.SaPayload;
import io.causeway.ike.v2.message.SaProposal;
import io.causeway.ike.sa.IkeSession.Phase;
import java.util.List;
import java.util.Optional;

/**
 * What every CREATE_CHILD_SA exchange we initiate has in common (RFC 7296 1.3, 2.17, 2.18): the request goes out
 * with the session's next message id and the task becomes the session's active one; the response is checked for an
 * error notify, INVALID_KE_PAYLOAD (1.3: resent once with the group asked for, if we offered it), a single proposal
 * we offered with the group we sent, and a valid KE, before the subclass takes it. The {@link PendingExchange} holds
 * what the peer's colliding requests may change meanwhile (2.8.1, 2.8.2, 2.25).
 */
abstract class CreateChildSaTask implements ExchangeTask {
    final IkeSession s;
    final PendingExchange exchange;
    /** Why the exchange failed, set before {@link #failed} is called, for the subclass that reports the failure. */
    FailureCause failureCause = FailureCause.OTHER;

    CreateChildSaTask(IkeSession session, PendingExchange exchange) {
        this.s = session;
        this.exchange = exchange;
    }

    /** The proposals the request offers; a group the peer asks for must be one of theirs. */
    abstract List<Proposal> offered();

    /** Builds and sends the request, with a new KE when the exchange has a group. */
    abstract void sendRequest(long now);

    /** Whether the peer's chosen proposal is of the right protocol and SPI size and one we offered. */
    abstract boolean acceptable(SaProposal chosen, Proposal conf);

    /** The peer agreed: shared is the new DH secret (null without PFS), nr the peer's nonce. */
    abstract void accepted(SaProposal chosen, Proposal conf, byte[] shared, byte[] nr, List<Payload> inner, long now);

    /**
     * The peer refused (notify, 0 if none) or answered what we cannot accept; retryAt is when a TEMPORARY_FAILURE
     * (2.25) may be retried. Returns whether DPD should be armed again afterwards.
     */
    abstract boolean failed(int notify, boolean temporary, long retryAt, String error, long now);

    final void send(List<? extends Payload> inner, long now) {
        s.active = this;
        s.transport.sendProtectedRequest(ExchangeType.CREATE_CHILD_SA, inner, now);
    }

    @Override
    public final void onResponse(IkeMessage m, long now) {
        List<Payload> inner = s.transport.unprotectOrDrop(m);
        if (inner == null) {
            return;
        }
        s.transport.answered();
        s.lastInbound = now;
        s.active = null;
        handle(inner, now);
        if (!exchange.ike()) {
            s.keeper.settleLoss(exchange, now);
        }
        if (s.phase == Phase.ESTABLISHED) {
            s.afterExchange(now);
        }
    }

    private void handle(List<Payload> inner, long now) {
        PendingExchange p = exchange;
        for (NotifyPayload n : only(inner, NotifyPayload.class)) {
            if (n.notifyType() == NotifyType.INVALID_KE_PAYLOAD) {
                int wanted = n.invalidKeGroup().orElse(-1);
                boolean ours = offered().stream().flatMap(x -> x.dhGroups().stream()).anyMatch(a -> a.ianaId() == wanted);
                if (!p.retriedGroup && ours && wanted != p.group && DhGroup.lookup(wanted).isPresent()) {
                    p.retriedGroup = true; // 1.3: the same request again with a KE of the group asked for
                    p.group = wanted;
                    s.active = this;
                    sendRequest(now);
                    return;
                }
            }
            if (n.isError()) {
                exchangeFailed(n.notifyType(), "peer answered " + NotifyType.name(n.notifyType()) + " to "
                        + p.describe(), now);
                return;
            }
        }
        Optional<SaPayload> sa = first(inner, SaPayload.class);
        Optional<NoncePayload> nonce = first(inner, NoncePayload.class);
        Optional<KePayload> ke = first(inner, KePayload.class);
        if (sa.isEmpty() || nonce.isEmpty() || sa.get().proposals().size() != 1) {
            exchangeFailed(0, "peer's CREATE_CHILD_SA response has no single SA and Nr", now);
            return;
        }
        SaProposal chosen = sa.get().proposals().get(0);
        Optional<Proposal> conf = chosen.toConf();
        int group = conf.map(c -> c.dhGroups().isEmpty() ? -1 : c.dhGroups().get(0).ianaId()).orElse(-1);
        boolean ok = conf.isPresent() && acceptable(chosen, conf.get());
        if (!ok || group != (p.dh == null ? -1 : p.group)
                || (group != -1 && (ke.isEmpty() || ke.get().dhGroup() != group))) {
            exchangeFailed(0, FailureCause.NO_PROPOSAL, "peer chose a proposal we did not offer in CREATE_CHILD_SA: "
                    + chosen, now);
            return;
        }
        byte[] shared = null;
        if (group != -1) {
            try {
                shared = p.dh.sharedSecret(ke.get().keyData());
            } catch (InvalidPeerKeyException e) {
                exchangeFailed(0, "peer sent an invalid DH public value in CREATE_CHILD_SA", now);
                return;
            }
        }
        accepted(chosen, conf.get(), shared, nonce.get().nonce(), inner, now);
    }

    /**
     * Our CREATE_CHILD_SA got an error notify, or an answer we cannot accept: the subclass decides what is left to
     * do; a TEMPORARY_FAILURE (2.25) is retried 10 to 20 s later.
     */
    final void exchangeFailed(int notify, String error, long now) {
        exchangeFailed(notify, notify == 0 ? FailureCause.OTHER : FailureCause.ofNotify(notify), error, now);
    }

    final void exchangeFailed(int notify, FailureCause cause, String error, long now) {
        failureCause = cause;
        boolean temporary = notify == NotifyType.TEMPORARY_FAILURE;
        long retryAt = now + 10_000 + s.fuzz(10_000);
        if (failed(notify, temporary, retryAt, error, now)) {
            new DpdTask(s).arm();
        }
    }
}
