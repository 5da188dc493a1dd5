package io.causeway.conf.proposal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** strongSwan's proposal syntax: comma-separated proposals of '-'-separated keywords, optional trailing '!'. */
final class ProposalParser {
    private ProposalParser() {
    }

    static List<Proposal> parse(String text, ProposalKind kind) {
        String value = text == null ? "" : text.trim();
        boolean strict = value.endsWith("!");
        if (strict) {
            value = value.substring(0, value.length() - 1);
        }
        List<String> problems = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        if (value.isBlank()) {
            problems.add("empty proposal (expected e.g. " + (kind == ProposalKind.IKE ? "aes128-sha256-modp3072" : "aes128-sha256") + ")");
        }
        for (String single : value.isBlank() ? new String[0] : value.split(",", -1)) {
            Proposal p = parseSingle(single.trim(), kind, strict, problems);
            if (p != null) {
                proposals.add(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidProposalException(problems);
        }
        return List.copyOf(proposals);
    }

    private static Proposal parseSingle(String single, ProposalKind kind, boolean strict, List<String> problems) {
        int before = problems.size();
        if (single.isEmpty()) {
            problems.add("empty proposal between commas");
            return null;
        }
        if (single.contains("!")) {
            problems.add("'!' (strict) is only allowed once, at the very end of the list, not in '" + single + "'");
            return null;
        }
        Set<Algorithm> encr = new LinkedHashSet<>();
        Set<Algorithm> integ = new LinkedHashSet<>();
        Set<Algorithm> prf = new LinkedHashSet<>();
        Set<Algorithm> dh = new LinkedHashSet<>();
        Set<Algorithm> esn = new LinkedHashSet<>();
        for (String token : single.split("-", -1)) {
            var algorithm = Algorithms.byKeyword(token);
            if (algorithm.isEmpty()) {
                problems.add("unknown algorithm '" + token + "' (allowed: " + String.join(", ", allowed(kind)) + ")");
                continue;
            }
            Algorithm a = algorithm.get();
            switch (a.type()) {
                case ENCR -> encr.add(a);
                case INTEG -> integ.add(a);
                case PRF -> prf.add(a);
                case DH -> dh.add(a);
                case ESN -> esn.add(a);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return build(single, kind, strict, new ArrayList<>(encr), new ArrayList<>(integ), new ArrayList<>(prf),
                new ArrayList<>(dh), new ArrayList<>(esn), problems);
    }

    private static Proposal build(String single, ProposalKind kind, boolean strict, List<Algorithm> encr,
                                  List<Algorithm> integ, List<Algorithm> prf, List<Algorithm> dh, List<Algorithm> esn,
                                  List<String> problems) {
        int before = problems.size();
        if (encr.isEmpty()) {
            problems.add("'" + single + "' has no encryption algorithm (e.g. aes128, aes256gcm16)");
        }
        boolean aead = encr.stream().anyMatch(Algorithm::aead);
        if (aead && encr.stream().anyMatch(a -> !a.aead())) {
            problems.add("'" + single + "' mixes AEAD (GCM) and non-AEAD encryption; put them in separate proposals");
        }
        if (kind == ProposalKind.IKE) {
            // strongSwan: with no explicit PRF, each integrity algorithm implies its PRF
            if (prf.isEmpty()) {
                prf.addAll(impliedPrfs(integ));
            }
            if (prf.isEmpty()) {
                problems.add("'" + single + "' has no PRF; add one (e.g. prfsha256) or an integrity algorithm (e.g. sha256)");
            }
            if (dh.isEmpty()) {
                problems.add("'" + single + "' has no DH group (e.g. modp3072, ecp256); IKE needs one");
            }
            if (!esn.isEmpty()) {
                problems.add("'" + single + "': esn/noesn only apply to esp proposals");
            }
        } else if (!prf.isEmpty()) {
            problems.add("'" + single + "': PRF " + prf.get(0).name() + " only applies to ike proposals");
        }
        if (aead) {
            // AEAD ciphers authenticate themselves; strongSwan drops integrity algorithms given with them
            integ.clear();
        } else if (integ.isEmpty() && !encr.isEmpty()) {
            problems.add("'" + single + "' has no integrity algorithm (e.g. sha256); only AEAD ciphers such as aes128gcm16 can go without");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Proposal(kind, encr, integ, prf, dh, esn, strict);
    }

    static List<Algorithm> impliedPrfs(List<Algorithm> integrity) {
        List<Algorithm> prfs = new ArrayList<>();
        for (Algorithm a : integrity) {
            Algorithms.prfFor(a).filter(p -> !prfs.contains(p)).ifPresent(prfs::add);
        }
        return prfs;
    }

    private static List<String> allowed(ProposalKind kind) {
        return Algorithms.canonicalNames(kind == ProposalKind.IKE
                ? EnumSet.of(TransformType.ENCR, TransformType.INTEG, TransformType.PRF, TransformType.DH)
                : EnumSet.of(TransformType.ENCR, TransformType.INTEG, TransformType.DH, TransformType.ESN));
    }
}
