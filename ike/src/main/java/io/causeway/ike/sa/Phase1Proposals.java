package io.causeway.ike.sa;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.proposal.ProposalKind;
import io.causeway.ike.crypto.DhGroup;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.v1.crypto.V1Cipher;
import io.causeway.ike.v1.crypto.V1Hash;
import io.causeway.ike.v1.message.Attribute1;
import io.causeway.ike.v1.message.ProposalPayload1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.TransformPayload1;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IKEv1 phase-1 proposals (RFC 2409 5 and Appendix A): strongSwan's ike= proposals become one ISAKMP proposal with a
 * transform per combination of cipher, hash and group (IKEv1 has no lists per transform type), and a transform the
 * peer offered or chose becomes a {@link Proposal} again, so {@link ProposalSelector} decides as for IKEv2.
 */
final class Phase1Proposals {
    static final int KEY_IKE = 1;
    static final int ENCRYPTION = 1;
    static final int HASH = 2;
    static final int AUTH_METHOD = 3;
    static final int GROUP = 4;
    static final int LIFE_TYPE = 11;
    static final int LIFE_DURATION = 12;
    static final int KEY_LENGTH = 14;
    static final int AUTH_PRE_SHARED_KEY = 1;
    static final int LIFE_SECONDS = 1;
    /** RFC 2409 4.5: an ISAKMP SA without a lifetime attribute lives 8 hours. */
    static final long DEFAULT_LIFETIME_SECONDS = 28_800;

    /** What a phase-1 negotiation agreed on, and the transform it came from (answered with its own numbers). */
    record Choice(V1Cipher cipher, int keyBits, V1Hash hash, DhGroup group, long lifetimeSeconds, Proposal proposal,
                  TransformPayload1 transform) {
        int keyBytes() {
            return cipher.keyBytes(keyBits);
        }
    }

    private Phase1Proposals() {
    }

    /** Our SA payload: every cipher x hash x group of the configured proposals, in their order. */
    static SaPayload1 offer(List<Proposal> ike, Duration lifetime) {
        List<TransformPayload1> transforms = new ArrayList<>();
        for (Proposal p : ike) {
            for (Algorithm encr : p.encryption()) {
                if (encr.aead()) {
                    continue; // IKEv1 phase 1 has no AEAD ciphers
                }
                for (Algorithm integ : p.integrity()) {
                    for (Algorithm dh : p.dhGroups()) {
                        transforms.add(transform(transforms.size() + 1, encr, integ, dh, lifetime.toSeconds()));
                    }
                }
            }
        }
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("no IKEv1 phase-1 transform in " + Proposal.format(ike));
        }
        return new SaPayload1(SaPayload1.DOI_IPSEC, SaPayload1.SIT_IDENTITY_ONLY,
                List.of(new ProposalPayload1(1, ProposalPayload1.PROTO_ISAKMP, new byte[0], transforms)));
    }

    private static TransformPayload1 transform(int number, Algorithm encr, Algorithm integ, Algorithm dh, long lifeSeconds) {
        V1Cipher cipher = V1Cipher.of(encr);
        List<Attribute1> attributes = new ArrayList<>();
        attributes.add(Attribute1.basic(ENCRYPTION, cipher.id()));
        if (cipher.variableKeyLength()) {
            attributes.add(Attribute1.basic(KEY_LENGTH, encr.keyLengthBits()));
        }
        attributes.add(Attribute1.basic(HASH, V1Hash.of(integ).id()));
        attributes.add(Attribute1.basic(AUTH_METHOD, AUTH_PRE_SHARED_KEY));
        attributes.add(Attribute1.basic(GROUP, dh.ianaId()));
        attributes.add(Attribute1.basic(LIFE_TYPE, LIFE_SECONDS));
        attributes.add(Attribute1.ofNumber(LIFE_DURATION, lifeSeconds));
        return new TransformPayload1(number, KEY_IKE, attributes);
    }

    /** Aggressive mode sends its KE with the offer, so every transform must use the DH group of the first one. */
    static SaPayload1 sameGroupAsFirst(SaPayload1 offer) {
        ProposalPayload1 p = offer.proposals().get(0);
        int group = decode(p.transforms().get(0)).orElseThrow().group().id();
        List<TransformPayload1> same = new ArrayList<>();
        for (TransformPayload1 t : p.transforms()) {
            if (decode(t).map(c -> c.group().id() == group).orElse(false)) {
                same.add(new TransformPayload1(same.size() + 1, t.transformId(), t.attributes()));
            }
        }
        return new SaPayload1(offer.doi(), offer.situation(),
                List.of(new ProposalPayload1(p.number(), p.protocolId(), p.spi(), same)));
    }

    /** Responder: the first configured proposal one of the offered transforms matches, with PSK authentication. */
    static Optional<Choice> select(List<Proposal> configured, SaPayload1 offered) {
        for (Proposal ours : configured) {
            for (ProposalPayload1 p : offered.proposals()) {
                if (p.protocolId() != ProposalPayload1.PROTO_ISAKMP) {
                    continue;
                }
                for (TransformPayload1 t : p.transforms()) {
                    Optional<Choice> c = decode(t);
                    if (c.isPresent() && ProposalSelector.accepts(List.of(ours), c.get().proposal(), false)) {
                        return c;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Initiator: the one transform the responder chose, if it is one we offered. */
    static Optional<Choice> accepted(List<Proposal> configured, SaPayload1 answer) {
        if (answer.proposals().size() != 1 || answer.proposals().get(0).transforms().size() != 1) {
            return Optional.empty();
        }
        Optional<Choice> c = decode(answer.proposals().get(0).transforms().get(0));
        return c.filter(x -> ProposalSelector.accepts(configured, x.proposal(), false));
    }

    /** The responder's SA payload: the chosen transform exactly as offered. */
    static SaPayload1 answer(Choice c) {
        return new SaPayload1(SaPayload1.DOI_IPSEC, SaPayload1.SIT_IDENTITY_ONLY,
                List.of(new ProposalPayload1(1, ProposalPayload1.PROTO_ISAKMP, new byte[0], List.of(c.transform()))));
    }

    /** A transform as a single-transform IKE proposal; empty when it is not PSK or uses what we do not implement. */
    static Optional<Choice> decode(TransformPayload1 t) {
        if (t.transformId() != KEY_IKE) {
            return Optional.empty();
        }
        int encr = -1;
        int hash = -1;
        int auth = -1;
        int group = -1;
        int keyBits = 0;
        long life = DEFAULT_LIFETIME_SECONDS;
        int lifeType = LIFE_SECONDS;
        for (Attribute1 a : t.attributes()) {
            long v = a.number();
            switch (a.type()) {
                case ENCRYPTION -> encr = (int) v;
                case HASH -> hash = (int) v;
                case AUTH_METHOD -> auth = (int) v;
                case GROUP -> group = (int) v;
                case KEY_LENGTH -> keyBits = (int) Math.min(v, 1024);
                case LIFE_TYPE -> lifeType = (int) v;
                case LIFE_DURATION -> {
                    if (lifeType == LIFE_SECONDS) {
                        life = v;
                    }
                }
                default -> {
                    // group descriptions of new groups, PRF, field size: not offered by anyone we talk to
                }
            }
        }
        Optional<V1Cipher> cipher = V1Cipher.forId(encr);
        Optional<V1Hash> h = V1Hash.forId(hash);
        Optional<DhGroup> g = DhGroup.lookup(group);
        if (auth != AUTH_PRE_SHARED_KEY || cipher.isEmpty() || h.isEmpty() || g.isEmpty()) {
            return Optional.empty();
        }
        if (cipher.get().variableKeyLength() && keyBits == 0) {
            keyBits = 128; // RFC 3602 5.3 has no default for IKE; strongSwan and Libreswan assume 128
        }
        Algorithm encrAlgorithm;
        try {
            encrAlgorithm = cipher.get().algorithm(keyBits);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a key length AES does not have
        }
        Algorithm integ = h.get().integrity();
        Algorithm prf = Algorithms.prfFor(integ).orElseThrow();
        Algorithm dh = dhAlgorithm(group);
        Proposal p = Proposal.of(ProposalKind.IKE, List.of(encrAlgorithm), List.of(integ), List.of(prf), List.of(dh), List.of());
        return Optional.of(new Choice(cipher.get(), keyBits, h.get(), g.get(), life, p, t));
    }

    static Algorithm dhAlgorithm(int group) {
        for (String name : Algorithms.canonicalNames(java.util.Set.of(io.causeway.conf.proposal.TransformType.DH))) {
            Algorithm a = Algorithms.named(name);
            if (a.ianaId() == group) {
                return a;
            }
        }
        throw new IllegalArgumentException("no DH group " + group);
    }
}
