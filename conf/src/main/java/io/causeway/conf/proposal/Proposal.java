package io.causeway.conf.proposal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One IKE or ESP proposal: the transforms offered for each type. For ESP, DH groups mean PFS.
 * strict() is strongSwan's trailing '!': only these proposals, no defaults appended.
 */
public final class Proposal {
    private final ProposalKind kind;
    private final List<Algorithm> encryption;
    private final List<Algorithm> integrity;
    private final List<Algorithm> prf;
    private final List<Algorithm> dhGroups;
    private final List<Algorithm> extendedSequenceNumbers;
    private final boolean strict;

    Proposal(ProposalKind kind, List<Algorithm> encryption, List<Algorithm> integrity, List<Algorithm> prf,
             List<Algorithm> dhGroups, List<Algorithm> extendedSequenceNumbers, boolean strict) {
        this.kind = kind;
        this.encryption = List.copyOf(encryption);
        this.integrity = List.copyOf(integrity);
        this.prf = List.copyOf(prf);
        this.dhGroups = List.copyOf(dhGroups);
        this.extendedSequenceNumbers = List.copyOf(extendedSequenceNumbers);
        this.strict = strict;
    }

    /** A proposal built in code, e.g. the single-transform one a negotiation chose. */
    public static Proposal of(ProposalKind kind, List<Algorithm> encryption, List<Algorithm> integrity,
                              List<Algorithm> prf, List<Algorithm> dhGroups, List<Algorithm> extendedSequenceNumbers) {
        return new Proposal(kind, encryption, integrity, prf, dhGroups, extendedSequenceNumbers, true);
    }

    /** Parses an ike= value, e.g. {@code aes128-sha256-modp3072,aes256gcm16-prfsha384-ecp384!}. */
    public static List<Proposal> parseIke(String text) {
        return ProposalParser.parse(text, ProposalKind.IKE);
    }

    /** Parses an esp= value, e.g. {@code aes128-sha1-modp1024!} (modp1024 here means PFS). */
    public static List<Proposal> parseEsp(String text) {
        return ProposalParser.parse(text, ProposalKind.ESP);
    }

    /** The proposals list rendered back in strongSwan syntax, '!' included when strict. */
    public static String format(List<Proposal> proposals) {
        List<String> parts = new ArrayList<>();
        for (Proposal p : proposals) {
            parts.add(p.toString());
        }
        boolean strict = !proposals.isEmpty() && proposals.get(0).strict;
        return String.join(",", parts) + (strict ? "!" : "");
    }

    public ProposalKind kind() {
        return kind;
    }

    public List<Algorithm> encryption() {
        return encryption;
    }

    public List<Algorithm> integrity() {
        return integrity;
    }

    public List<Algorithm> prf() {
        return prf;
    }

    public List<Algorithm> dhGroups() {
        return dhGroups;
    }

    /** ESP only: esn/noesn as offered; empty means strongSwan's default (noesn). */
    public List<Algorithm> extendedSequenceNumbers() {
        return extendedSequenceNumbers;
    }

    public boolean strict() {
        return strict;
    }

    public boolean aead() {
        return !encryption.isEmpty() && encryption.get(0).aead();
    }

    /** ESP proposals with a DH group ask for perfect forward secrecy on CHILD_SA rekeying. */
    public boolean pfs() {
        return kind == ProposalKind.ESP && !dhGroups.isEmpty();
    }

    /**
     * strongSwan keyword form without the '!': PRFs that only repeat what the integrity algorithms
     * imply are left out, so {@code aes128-sha256-modp3072} prints as written.
     */
    @Override
    public String toString() {
        List<String> tokens = new ArrayList<>();
        encryption.forEach(a -> tokens.add(a.name()));
        integrity.forEach(a -> tokens.add(a.name()));
        if (!prf.equals(ProposalParser.impliedPrfs(integrity))) {
            prf.forEach(a -> tokens.add(a.name()));
        }
        dhGroups.forEach(a -> tokens.add(a.name()));
        extendedSequenceNumbers.forEach(a -> tokens.add(a.name()));
        return String.join("-", tokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proposal p && kind == p.kind && strict == p.strict && encryption.equals(p.encryption)
                && integrity.equals(p.integrity) && prf.equals(p.prf) && dhGroups.equals(p.dhGroups)
                && extendedSequenceNumbers.equals(p.extendedSequenceNumbers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, encryption, integrity, prf, dhGroups, extendedSequenceNumbers, strict);
    }
}
