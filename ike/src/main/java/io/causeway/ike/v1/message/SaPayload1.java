package io.causeway.ike.v1.message;

import io.causeway.ike.v1.message.V1ParseException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Security Association payload (RFC 2408 3.4, RFC 2407 4.6.1): DOI, situation and the proposals. Only
 * the 4-octet situation is handled; a situation with the secrecy or integrity bits (which would be
 * followed by labeled domain identifiers and levels) is refused as BAD_VALUE, as no IKE peer sends it.
 * RFC 2409 5: HASH_I/HASH_R cover this payload's body as received, see {@link DecodedPayload1#body()}.
 */
public record SaPayload1(int doi, int situation, List<ProposalPayload1> proposals) implements V1Payload {
    public static final int DOI_IPSEC = 1;
    public static final int SIT_IDENTITY_ONLY = 1;
    public static final int SIT_SECRECY = 2;
    public static final int SIT_INTEGRITY = 4;

    public SaPayload1 {
        proposals = List.copyOf(proposals);
        if (proposals.isEmpty()) {
            throw new IllegalArgumentException("an SA payload needs at least one proposal");
        }
    }

    /** An IPsec DOI, identity-only SA payload. */
    public static SaPayload1 ipsec(List<ProposalPayload1> proposals) {
        return new SaPayload1(DOI_IPSEC, SIT_IDENTITY_ONLY, proposals);
    }

    public static SaPayload1 decode(ByteBuffer body) throws V1ParseException {
        int doi = V1Wire.u32(body, "SA DOI");
        int situation = V1Wire.u32(body, "SA situation");
        if (doi == DOI_IPSEC && (situation & (SIT_SECRECY | SIT_INTEGRITY)) != 0) {
            throw new V1ParseException(Reason.BAD_VALUE, "SA situation " + situation
                    + " with secrecy/integrity labels is not supported");
        }
        List<ProposalPayload1> proposals = new ArrayList<>();
        boolean more = true;
        while (more) {
            if (proposals.size() >= V1PayloadChain.MAX_PER_LEVEL) {
                throw new V1ParseException(Reason.LIMIT_EXCEEDED, "SA payload has more than "
                        + V1PayloadChain.MAX_PER_LEVEL + " proposals");
            }
            if (!body.hasRemaining()) {
                throw new V1ParseException(Reason.TRUNCATED, "SA payload ends where a proposal is expected");
            }
            more = ProposalPayload1.decodeInto(body, proposals);
        }
        V1Wire.noTrailingBytes(body, "SA payload");
        return new SaPayload1(doi, situation, proposals);
    }

    @Override
    public int type() {
        return V1PayloadType.SA;
    }

    @Override
    public int bodyLength() {
        int length = 8;
        for (ProposalPayload1 p : proposals) {
            length += p.encodedLength();
        }
        return length;
    }

    @Override
    public void encodeBody(ByteBuffer out) {
        V1Wire.putU32(out, doi);
        V1Wire.putU32(out, situation);
        for (int i = 0; i < proposals.size(); i++) {
            proposals.get(i).encode(out, i == proposals.size() - 1);
        }
    }

    @Override
    public String toString() {
        return "SA" + (doi != DOI_IPSEC ? "(doi " + doi + ")" : "") + proposals;
    }
}
