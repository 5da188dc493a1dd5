package io.causeway.ike.v2.message;

import io.causeway.conf.proposal.Proposal;
import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Security Association payload (RFC 7296 3.3): one or more proposals. */
public record SaPayload(List<SaProposal> proposals) implements Payload {
    public SaPayload {
        proposals = List.copyOf(proposals);
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("an SA payload needs at least one proposal");
        }
    }

    /** Proposals numbered 1, 2, ... in configuration order, all with the same SPI (empty for IKE_SA_INIT). */
    public static SaPayload of(List<Proposal> proposals, byte[] spi) {
        List<SaProposal> list = new ArrayList<>();
        for (Proposal p : proposals) {
            list.add(SaProposal.of(list.size() + 1, p, spi));
        }
        return new SaPayload(list);
    }

    /** The single chosen proposal a responder answers with, keeping the number the initiator gave it. */
    public static SaPayload chosen(int proposalNumber, Proposal chosen, byte[] spi) {
        return new SaPayload(List.of(SaProposal.of(proposalNumber, chosen, spi)));
    }

    public static SaPayload decode(ByteBuffer body) throws InvalidMessageException {
        List<SaProposal> proposals = new ArrayList<>();
        boolean more = true;
        while (more) {
            if (!body.hasRemaining()) {
                throw new InvalidMessageException(Reason.TRUNCATED, "SA payload ends where another proposal is announced");
            }
            more = SaProposal.decodeInto(body, proposals);
        }
        Wire.noTrailingBytes(body, "SA payload");
        return new SaPayload(proposals);
    }

    @Override
    public int type() {
        return PayloadType.SA;
    }

    @Override
    public int bodyLength() {
        int length = 0;
        for (SaProposal p : proposals) {
            length += p.encodedLength();
        }
        return length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        for (int i = 0; i < proposals.size(); i++) {
            proposals.get(i).encode(out, i == proposals.size() - 1);
        }
    }

    @Override
    public String toString() {
        return "SA" + proposals;
    }
}
