package io.causeway.conf.proposal;

/** Which SA a proposal is for: the rules about PRF, integrity and DH differ. */
public enum ProposalKind {
    IKE, ESP
}
