package io.causeway.ike.sa;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.proposal.ProposalKind;
import io.causeway.ike.proposal.ProposalSelector;
import io.causeway.ike.v1.crypto.V1EspAlgorithms;
import io.causeway.ike.v1.message.Attribute1;
import io.causeway.ike.v1.message.ProposalPayload1;
import io.causeway.ike.v1.message.SaPayload1;
import io.causeway.ike.v1.message.TransformPayload1;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IKEv1 quick-mode proposals (RFC 2407 4.4.4, 4.5): strongSwan's esp= proposals as one ESP proposal with a transform
 * per combination of cipher and integrity, with encapsulation mode, lifetimes in seconds and kilobytes, and the PFS
 * group; and the transform the peer offered or chose as a {@link Proposal}, so {@link ProposalSelector} decides. A
 * quick mode carries one KE payload, so all its transforms name the same PFS group: the first configured one.
 */
final class Phase2Proposals {
    static final int LIFE_TYPE = 1;
    static final int LIFE_DURATION = 2;
    static final int GROUP = 3;
    static final int ENCAPSULATION = 4;
    static final int AUTH_ALGORITHM = 5;
    static final int KEY_LENGTH = 6;
    static final int LIFE_SECONDS = 1;
    static final int LIFE_KILOBYTES = 2;
    /** RFC 2407 4.5: without a lifetime attribute, an IPsec SA lives 8 hours. */
    static final long DEFAULT_LIFETIME_SECONDS = 28_800;

    /** Encapsulation modes (RFC 2407 4.5, RFC 3947 5.3, and the draft numbers peers still send). */
    static final int TUNNEL = 1;
    static final int TRANSPORT = 2;
    static final int UDP_TUNNEL = 3;
    static final int UDP_TRANSPORT = 4;
    static final int UDP_TUNNEL_DRAFT = 61443;
    static final int UDP_TRANSPORT_DRAFT = 61444;

    /** What a quick mode agreed on, and the transform it came from. */
    record Choice(Proposal proposal, int peerSpi, int encapsulation, long lifeSeconds, long lifeKilobytes, int pfsGroup,
                  TransformPayload1 transform, int proposalNumber) {
        boolean transportMode() {
            return encapsulation == TRANSPORT || encapsulation == UDP_TRANSPORT || encapsulation == UDP_TRANSPORT_DRAFT;
        }

        boolean udpEncapsulated() {
            return encapsulation >= UDP_TUNNEL;
        }
    }

    private Phase2Proposals() {
    }

    /** The PFS group our quick modes use: the first DH group of the configured esp= proposals, 0 without PFS. */
    static int pfsGroup(List<Proposal> esp) {
        for (Proposal p : esp) {
            if (!p.dhGroups().isEmpty()) {
                return p.dhGroups().get(0).ianaId();
            }
        }
        return 0;
    }

    /** Our SA payload for a quick mode with our inbound SPI. lifeBytes 0: no volume lifetime. */
    static SaPayload1 offer(List<Proposal> esp, int ourSpi, int encapsulation, long lifeSeconds, long lifeBytes) {
        int group = pfsGroup(esp);
        List<TransformPayload1> transforms = new ArrayList<>();
        for (Proposal p : esp) {
            if (group != 0 && p.dhGroups().stream().noneMatch(a -> a.ianaId() == group)) {
                continue;
            }
            for (Algorithm encr : p.encryption()) {
                List<Algorithm> integrities = encr.aead() ? java.util.Collections.singletonList(null) : p.integrity();
                for (Algorithm integ : integrities) {
                    transforms.add(transform(transforms.size() + 1, encr, integ, group, encapsulation, lifeSeconds,
                            lifeBytes));
                }
            }
        }
        if (transforms.isEmpty()) {
            throw new IllegalArgumentException("no IKEv1 ESP transform in " + Proposal.format(esp));
        }
        return new SaPayload1(SaPayload1.DOI_IPSEC, SaPayload1.SIT_IDENTITY_ONLY,
                List.of(new ProposalPayload1(1, ProposalPayload1.PROTO_IPSEC_ESP, spiBytes(ourSpi), transforms)));
    }

    private static TransformPayload1 transform(int number, Algorithm encr, Algorithm integ, int group, int encapsulation,
                                               long lifeSeconds, long lifeBytes) {
        List<Attribute1> a = new ArrayList<>();
        a.add(Attribute1.basic(LIFE_TYPE, LIFE_SECONDS));
        a.add(Attribute1.ofNumber(LIFE_DURATION, lifeSeconds));
        if (lifeBytes > 0) {
            a.add(Attribute1.basic(LIFE_TYPE, LIFE_KILOBYTES));
            a.add(Attribute1.ofNumber(LIFE_DURATION, Math.max(1, lifeBytes / 1000))); // RFC 2407 4.5: 1 KB = 1000 bytes
        }
        if (group != 0) {
            a.add(Attribute1.basic(GROUP, group));
        }
        a.add(Attribute1.basic(ENCAPSULATION, encapsulation));
        if (integ != null) {
            a.add(Attribute1.basic(AUTH_ALGORITHM, V1EspAlgorithms.authAttribute(integ)));
        }
        if (encr.keyLengthBits() > 0 && encr.ianaId() != 3 && encr.ianaId() != 2) {
            a.add(Attribute1.basic(KEY_LENGTH, encr.keyLengthBits()));
        }
        return new TransformPayload1(number, V1EspAlgorithms.espTransformId(encr), a);
    }

    /** Responder: the first configured proposal one offered ESP transform matches. */
    static Optional<Choice> select(List<Proposal> configured, SaPayload1 offered) {
        for (Proposal ours : configured) {
            for (ProposalPayload1 p : offered.proposals()) {
                if (p.protocolId() != ProposalPayload1.PROTO_IPSEC_ESP || p.spi().length != 4) {
                    continue;
                }
                for (TransformPayload1 t : p.transforms()) {
                    Optional<Choice> c = decode(p, t);
                    if (c.isPresent() && ProposalSelector.accepts(List.of(ours), c.get().proposal(), false)) {
                        return c;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Initiator: the responder's one transform, if we could have chosen it ourselves. */
    static Optional<Choice> accepted(List<Proposal> configured, SaPayload1 answer) {
        if (answer.proposals().size() != 1 || answer.proposals().get(0).transforms().size() != 1
                || answer.proposals().get(0).protocolId() != ProposalPayload1.PROTO_IPSEC_ESP
                || answer.proposals().get(0).spi().length != 4) {
            return Optional.empty();
        }
        ProposalPayload1 p = answer.proposals().get(0);
        return decode(p, p.transforms().get(0)).filter(c -> ProposalSelector.accepts(configured, c.proposal(), false));
    }

    /** The responder's SA payload: the chosen transform with its numbers as offered, and our inbound SPI. */
    static SaPayload1 answer(Choice c, int ourSpi) {
        return new SaPayload1(SaPayload1.DOI_IPSEC, SaPayload1.SIT_IDENTITY_ONLY, List.of(new ProposalPayload1(
                c.proposalNumber(), ProposalPayload1.PROTO_IPSEC_ESP, spiBytes(ourSpi), List.of(c.transform()))));
    }

    static Optional<Choice> decode(ProposalPayload1 p, TransformPayload1 t) {
        long seconds = DEFAULT_LIFETIME_SECONDS;
        long kilobytes = 0;
        int lifeType = LIFE_SECONDS;
        int group = 0;
        int encapsulation = TUNNEL;
        int auth = 0;
        int keyBits = 0;
        for (Attribute1 a : t.attributes()) {
            long v = a.number();
            switch (a.type()) {
                case LIFE_TYPE -> lifeType = (int) v;
                case LIFE_DURATION -> {
                    if (lifeType == LIFE_SECONDS) {
                        seconds = v;
                    } else if (lifeType == LIFE_KILOBYTES) {
                        kilobytes = v;
                    }
                }
                case GROUP -> group = (int) v;
                case ENCAPSULATION -> encapsulation = (int) v;
                case AUTH_ALGORITHM -> auth = (int) v;
                case KEY_LENGTH -> keyBits = (int) Math.min(v, 1024);
                default -> {
                    // e.g. ECN tunnel, compression: ignored as strongSwan ignores them
                }
            }
        }
        Optional<Algorithm> encr = V1EspAlgorithms.encryption(t.transformId(), keyBits);
        if (encr.isEmpty()) {
            return Optional.empty();
        }
        List<Algorithm> integ = List.of();
        if (!encr.get().aead()) {
            Optional<Algorithm> i = V1EspAlgorithms.integrity(auth);
            if (i.isEmpty()) {
                return Optional.empty();
            }
            integ = List.of(i.get());
        }
        if (group != 0 && io.causeway.ike.crypto.DhGroup.lookup(group).isEmpty()) {
            return Optional.empty();
        }
        List<Algorithm> dh = group == 0 ? List.of() : List.of(Phase1Proposals.dhAlgorithm(group));
        Proposal proposal = Proposal.of(ProposalKind.ESP, List.of(encr.get()), integ, List.of(), dh,
                List.of(Algorithms.named("noesn")));
        int spi = ByteBuffer.wrap(p.spi()).getInt();
        return Optional.of(new Choice(proposal, spi, encapsulation, seconds, kilobytes, group, t, p.number()));
    }

    static byte[] spiBytes(int spi) {
        return ByteBuffer.allocate(4).putInt(spi).array();
    }
}
