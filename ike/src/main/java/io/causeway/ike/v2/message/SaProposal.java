package io.causeway.ike.v2.message;

import io.causeway.conf.proposal.Algorithm;
import io.causeway.conf.proposal.Algorithms;
import io.causeway.conf.proposal.Proposal;
import io.causeway.conf.proposal.ProposalKind;
import io.causeway.conf.proposal.TransformType;
import io.causeway.ike.v2.message.InvalidMessageException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Proposal substructure of an SA payload (RFC 7296 3.3.1): number, protocol, SPI and transforms. */
public record SaProposal(int number, int protocolId, byte[] spi, List<Transform> transforms) {
    public static final int PROTOCOL_IKE = 1;
    public static final int PROTOCOL_AH = 2;
    public static final int PROTOCOL_ESP = 3;
    static final int HEADER_LENGTH = 8;
    private static final int LAST = 0;
    private static final int MORE = 2;
    private static final Map<String, Algorithm> KNOWN_ALGORITHMS = knownAlgorithms();

    public SaProposal {
        Wire.checkU8(number, "proposal number");
        Wire.checkU8(protocolId, "protocol id");
        spi = Wire.copy(spi);
        Wire.checkU8(spi.length, "SPI size");
        transforms = List.copyOf(transforms);
        Wire.checkU8(transforms.size(), "number of transforms");
    }

    /**
     * The wire form of a configured proposal: ENCR (with Key Length), PRF, INTEG, DH and, for ESP, ESN
     * transforms in configuration order. An ESP proposal without esn/noesn offers "no ESN", the RFC's
     * mandatory ESN transform (RFC 7296 3.3.3).
     */
    public static SaProposal of(int number, Proposal proposal, byte[] spi) {
        int protocol = proposal.kind() == ProposalKind.IKE ? PROTOCOL_IKE : PROTOCOL_ESP;
        List<Transform> transforms = new ArrayList<>();
        for (List<Algorithm> group : List.of(proposal.encryption(), proposal.prf(), proposal.integrity(),
                proposal.dhGroups(), proposal.extendedSequenceNumbers())) {
            for (Algorithm a : group) {
                transforms.add(Transform.of(a.type().ianaId(), a.ianaId(), a.keyLengthBits()));
            }
        }
        if (proposal.kind() == ProposalKind.ESP && proposal.extendedSequenceNumbers().isEmpty()) {
            transforms.add(Transform.of(Transform.TYPE_ESN, 0, 0));
        }
        return new SaProposal(number, protocol, spi, transforms);
    }

    static boolean decodeInto(ByteBuffer in, List<SaProposal> out) throws InvalidMessageException {
        int last = Wire.u8(in, "proposal last-substruc");
        if (last != LAST && last != MORE) {
            throw new InvalidMessageException(Reason.BAD_VALUE, "proposal last-substruc " + last + ", expected 0 or 2");
        }
        Wire.u8(in, "proposal reserved");
        int length = Wire.u16(in, "proposal length");
        if (length < HEADER_LENGTH) {
            throw new InvalidMessageException(Reason.BAD_LENGTH, "proposal length " + length + " below 8");
        }
        ByteBuffer body = Wire.slice(in, length - 4, "proposal");
        int number = Wire.u8(body, "proposal number");
        int protocol = Wire.u8(body, "protocol id");
        int spiSize = Wire.u8(body, "SPI size");
        int count = Wire.u8(body, "number of transforms");
        byte[] spi = Wire.bytes(body, spiSize, "proposal SPI");
        List<Transform> transforms = new ArrayList<>(count);
        boolean more = count > 0;
        while (more) {
            more = Transform.decodeInto(body, transforms);
            if (transforms.size() > count) {
                throw new InvalidMessageException(Reason.BAD_VALUE, "proposal announces " + count + " transforms but has more");
            }
        }
        if (transforms.size() != count) {
            throw new InvalidMessageException(Reason.BAD_VALUE, "proposal announces " + count + " transforms, has "
                    + transforms.size());
        }
        Wire.noTrailingBytes(body, "proposal");
        out.add(new SaProposal(number, protocol, spi, transforms));
        return last == MORE;
    }

    int encodedLength() {
        int length = HEADER_LENGTH + spi.length;
        for (Transform t : transforms) {
            length += t.encodedLength();
        }
        return length;
    }

    void encode(ByteBuffer out, boolean last) {
        int length = encodedLength();
        Wire.checkU16(length, "proposal length");
        Wire.putU8(out, last ? LAST : MORE);
        Wire.putU8(out, 0);
        Wire.putU16(out, length);
        Wire.putU8(out, number);
        Wire.putU8(out, protocolId);
        Wire.putU8(out, spi.length);
        Wire.putU8(out, transforms.size());
        out.put(spi);
        for (int i = 0; i < transforms.size(); i++) {
            transforms.get(i).encode(out, i == transforms.size() - 1);
        }
    }

    /** The transforms of one type, in the order offered. */
    public List<Transform> transformsOf(int transformType) {
        return transforms.stream().filter(t -> t.transformType() == transformType).toList();
    }

    /** The SPI as a 64-bit value (IKE, 8 octets) or 32-bit value (ESP/AH, 4 octets); empty for other sizes. */
    public Optional<Long> spiValue() {
        return switch (spi.length) {
            case 8 -> Optional.of(ByteBuffer.wrap(spi).getLong());
            case 4 -> Optional.of(ByteBuffer.wrap(spi).getInt() & 0xffffffffL);
            default -> Optional.empty();
        };
    }

    /**
     * The proposal in configuration terms, for {@code ProposalSelector}: transforms that match a known
     * algorithm map to the same {@link Algorithm} values configuration uses; unknown ids get a name such
     * as {@code encr#23} that no configuration matches. Empty for AH, other protocols, or when a
     * transform type beyond 1..5 is present (RFC 7296 3.3.6: such a proposal is unacceptable).
     */
    public Optional<Proposal> toConf() {
        ProposalKind kind;
        if (protocolId == PROTOCOL_IKE) {
            kind = ProposalKind.IKE;
        } else if (protocolId == PROTOCOL_ESP) {
            kind = ProposalKind.ESP;
        } else {
            return Optional.empty();
        }
        Map<TransformType, List<Algorithm>> byType = new HashMap<>();
        for (Transform t : transforms) {
            Optional<TransformType> type = transformType(t.transformType());
            if (type.isEmpty()) {
                return Optional.empty();
            }
            Algorithm algorithm = KNOWN_ALGORITHMS.get(key(type.get(), t.transformId(), t.keyLengthBits()));
            if (algorithm == null) {
                String name = type.get().name().toLowerCase() + "#" + t.transformId()
                        + (t.keyLengthBits() > 0 ? "/" + t.keyLengthBits() : "");
                algorithm = new Algorithm(name, type.get(), t.transformId(), t.keyLengthBits());
            }
            byType.computeIfAbsent(type.get(), k -> new ArrayList<>()).add(algorithm);
        }
        return Optional.of(Proposal.of(kind, byType.getOrDefault(TransformType.ENCR, List.of()),
                byType.getOrDefault(TransformType.INTEG, List.of()), byType.getOrDefault(TransformType.PRF, List.of()),
                byType.getOrDefault(TransformType.DH, List.of()), byType.getOrDefault(TransformType.ESN, List.of())));
    }

    private static Optional<TransformType> transformType(int ianaId) {
        for (TransformType t : TransformType.values()) {
            if (t.ianaId() == ianaId) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static String key(TransformType type, int id, int keyLengthBits) {
        return type.name() + ":" + id + ":" + keyLengthBits;
    }

    private static Map<String, Algorithm> knownAlgorithms() {
        Map<String, Algorithm> map = new HashMap<>();
        for (String name : Algorithms.canonicalNames(EnumSet.allOf(TransformType.class))) {
            Algorithm a = Algorithms.named(name);
            map.putIfAbsent(key(a.type(), a.ianaId(), a.keyLengthBits()), a);
        }
        return Map.copyOf(map);
    }

    @Override
    public byte[] spi() {
        return spi.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaProposal p && p.number == number && p.protocolId == protocolId && Arrays.equals(p.spi, spi)
                && p.transforms.equals(transforms);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * number + protocolId) + Arrays.hashCode(spi) + transforms.hashCode();
    }

    @Override
    public String toString() {
        return "P#" + number + "(protocol " + protocolId + (spi.length > 0 ? ", spi " + Wire.hex(spi) : "") + ", "
                + transforms + ")";
    }
}
