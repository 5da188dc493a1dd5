package io.causeway.conf.proposal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The algorithm keywords Causeway understands, with strongSwan's aliases mapped to one canonical entry. */
public final class Algorithms {
    private static final Map<String, Algorithm> BY_KEYWORD = new LinkedHashMap<>();
    private static final Map<String, Algorithm> CANONICAL = new LinkedHashMap<>();
    private static final Map<Algorithm, Algorithm> PRF_FOR_INTEGRITY = new LinkedHashMap<>();
    private static final Set<String> WEAK = Set.of("des", "md5", "modp768", "modp1024", "prfmd5");

    static {
        add(new Algorithm("des", TransformType.ENCR, 2, 0));
        add(new Algorithm("3des", TransformType.ENCR, 3, 0));
        for (int bits : new int[] {128, 192, 256}) {
            add(new Algorithm("aes" + bits, TransformType.ENCR, 12, bits));
        }
        alias("aes", "aes128");
        int[][] icvs = {{8, 64, 18}, {12, 96, 19}, {16, 128, 20}};
        for (int bits : new int[] {128, 192, 256}) {
            for (int[] icv : icvs) {
                String name = "aes" + bits + "gcm" + icv[0];
                add(new Algorithm(name, TransformType.ENCR, icv[2], bits));
                alias("aes" + bits + "gcm" + icv[1], name);
            }
        }
        integrity("md5", 1, "prfmd5", 1);
        integrity("sha1", 2, "prfsha1", 2);
        integrity("sha256", 12, "prfsha256", 5);
        integrity("sha384", 13, "prfsha384", 6);
        integrity("sha512", 14, "prfsha512", 7);
        alias("sha", "sha1");
        alias("sha2_256", "sha256");
        alias("sha2_384", "sha384");
        alias("sha2_512", "sha512");
        alias("prfsha", "prfsha1");
        alias("prfsha2_256", "prfsha256");
        alias("prfsha2_384", "prfsha384");
        alias("prfsha2_512", "prfsha512");
        dh("modp768", 1);
        dh("modp1024", 2);
        dh("modp1536", 5);
        dh("modp2048", 14);
        dh("modp3072", 15);
        dh("modp4096", 16);
        dh("modp6144", 17);
        dh("modp8192", 18);
        dh("ecp256", 19);
        dh("ecp384", 20);
        dh("ecp521", 21);
        dh("modp2048s256", 24);
        dh("curve25519", 31);
        alias("x25519", "curve25519");
        add(new Algorithm("noesn", TransformType.ESN, 0, 0));
        add(new Algorithm("esn", TransformType.ESN, 1, 0));
    }

    private Algorithms() {
    }

    private static void add(Algorithm algorithm) {
        BY_KEYWORD.put(algorithm.name(), algorithm);
        CANONICAL.put(algorithm.name(), algorithm);
    }

    private static void alias(String alias, String canonical) {
        BY_KEYWORD.put(alias, CANONICAL.get(canonical));
    }

    private static void integrity(String name, int id, String prfName, int prfId) {
        Algorithm integ = new Algorithm(name, TransformType.INTEG, id, 0);
        Algorithm prf = new Algorithm(prfName, TransformType.PRF, prfId, 0);
        add(integ);
        add(prf);
        PRF_FOR_INTEGRITY.put(integ, prf);
    }

    private static void dh(String name, int group) {
        add(new Algorithm(name, TransformType.DH, group, 0));
    }

    public static Optional<Algorithm> byKeyword(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword.toLowerCase(Locale.ROOT)));
    }

    /** The canonical entry for a strongSwan keyword; throws for unknown ones. */
    public static Algorithm named(String keyword) {
        return byKeyword(keyword).orElseThrow(() -> new IllegalArgumentException("unknown algorithm '" + keyword + "'"));
    }

    /** strongSwan derives an IKE PRF from each integrity algorithm when none is given. */
    public static Optional<Algorithm> prfFor(Algorithm integrity) {
        return Optional.ofNullable(PRF_FOR_INTEGRITY.get(integrity));
    }

    public static boolean isWeak(Algorithm algorithm) {
        return WEAK.contains(algorithm.name());
    }

    /** Canonical keywords of the given types, in registry order, for "allowed: ..." messages. */
    public static List<String> canonicalNames(Set<TransformType> types) {
        List<String> names = new ArrayList<>();
        for (Algorithm a : CANONICAL.values()) {
            if (types.contains(a.type())) {
                names.add(a.name());
            }
        }
        return Collections.unmodifiableList(names);
    }
}
